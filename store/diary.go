package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

const kindDiary = "diary"

// DiaryEntry is a dated note on a person. Entries are never edited in
// place: a correction is a new entry that names the one it corrects.
type DiaryEntry struct {
	ID         ID        `json:"-"`
	PersonID   ID        `json:"-"`
	Date       time.Time `json:"date"`
	AuthorID   ID        `json:"author"`
	AuthorName string    `json:"author_name"`
	Private    bool      `json:"private"` // only roles with PermPrivateDiary see it
	Text       string    `json:"text"`
	Corrects   ID        `json:"corrects,omitempty"`
	CreatedAt  time.Time `json:"created"`
}

// DiaryFilter selects entries; zero fields match everything.
type DiaryFilter struct {
	Visibility string    // "", "private", "public"
	From, To   time.Time // To inclusive (a date)
}

// AddDiaryEntry appends an entry. Only operators who may read private
// entries may write them.
func (s *Session) AddDiaryEntry(ctx context.Context, e DiaryEntry) (DiaryEntry, error) {
	if err := s.require(PermPersons); err != nil {
		return e, err
	}
	if e.Private {
		if err := s.require(PermPrivateDiary); err != nil {
			return e, err
		}
	}
	if _, ok := s.PersonSummaryByID(e.PersonID); !ok {
		return e, fmt.Errorf("add diary entry: %w", ErrNotFound)
	}
	now := s.db.now()
	var v ValidationError
	if strings.TrimSpace(e.Text) == "" {
		v = append(v, FieldError{"Text", "Il testo della nota è vuoto."})
	}
	if e.Date.IsZero() {
		v = append(v, FieldError{"Date", "La data della nota è obbligatoria."})
	} else if e.Date.After(now.Add(24 * time.Hour)) {
		v = append(v, FieldError{"Date", "La data della nota non può essere nel futuro."})
	}
	if len(v) > 0 {
		return e, v
	}
	me := s.Operator()
	e.ID = NewID()
	e.AuthorID, e.AuthorName = me.ID, me.FullName()
	e.CreatedAt = now.UTC()
	if err := s.saveChild(ctx, e.ID, kindDiary, e.PersonID, e, ActionCreate); err != nil {
		return e, fmt.Errorf("add diary entry: %w", err)
	}
	return e, nil
}

// Diary lists a person's entries, newest first. Private entries are left
// out for operators whose role may not read them: they never leave store.
func (s *Session) Diary(ctx context.Context, personID ID, f DiaryFilter) ([]DiaryEntry, error) {
	if err := s.require(PermPersons); err != nil {
		return nil, err
	}
	canPrivate := s.Operator().Role.Can(PermPrivateDiary)
	var out []DiaryEntry
	err := s.children(ctx, personID, kindDiary, func(id ID, plain []byte) error {
		var e DiaryEntry
		if err := json.Unmarshal(plain, &e); err != nil {
			return fmt.Errorf("decode diary entry: %w", err)
		}
		if e.Private && !canPrivate {
			return nil
		}
		switch f.Visibility {
		case "private":
			if !e.Private {
				return nil
			}
		case "public":
			if e.Private {
				return nil
			}
		}
		if !f.From.IsZero() && e.Date.Before(f.From) || !f.To.IsZero() && e.Date.After(f.To) {
			return nil
		}
		e.ID, e.PersonID = id, personID
		out = append(out, e)
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		return newerFirst(out[i].Date, out[i].CreatedAt, out[j].Date, out[j].CreatedAt)
	})
	return out, err
}

// CorrectedBy maps each corrected entry to the entries correcting it.
func CorrectedBy(entries []DiaryEntry) map[ID][]DiaryEntry {
	m := map[ID][]DiaryEntry{}
	for _, e := range entries {
		if !e.Corrects.IsZero() {
			m[e.Corrects] = append(m[e.Corrects], e)
		}
	}
	return m
}
