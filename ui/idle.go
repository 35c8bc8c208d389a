package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// idleWatch locks the program after a period without input.
type idleWatch struct {
	mu     sync.Mutex
	now    func() time.Time
	last   time.Time
	limit  time.Duration
	onIdle func()
	done   chan struct{}
}

func newIdleWatch(now func() time.Time, onIdle func()) *idleWatch {
	return &idleWatch{now: now, last: now(), limit: 10 * time.Minute, onIdle: onIdle}
}

func (w *idleWatch) touch() {
	w.mu.Lock()
	w.last = w.now()
	w.mu.Unlock()
}

func (w *idleWatch) setLimit(d time.Duration) {
	w.mu.Lock()
	w.limit = d
	w.mu.Unlock()
}

// check locks when the limit has passed. It runs on the UI goroutine.
func (w *idleWatch) check() {
	w.mu.Lock()
	idle := w.limit > 0 && w.now().Sub(w.last) >= w.limit
	w.mu.Unlock()
	if idle {
		w.onIdle()
	}
}

// start polls every few seconds from a goroutine; the check itself runs on
// the UI goroutine through fyne.Do.
func (w *idleWatch) start() {
	w.mu.Lock()
	if w.done != nil {
		w.mu.Unlock()
		return
	}
	w.done = make(chan struct{})
	done := w.done
	w.mu.Unlock()
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fyne.Do(w.check)
			}
		}
	}()
}

func (w *idleWatch) stop() {
	w.mu.Lock()
	if w.done != nil {
		close(w.done)
		w.done = nil
	}
	w.mu.Unlock()
}

// activityLayer wraps the main content and counts mouse movement over it
// as activity; typing and taps are counted by the screens' handlers.
type activityLayer struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

var _ desktop.Hoverable = (*activityLayer)(nil)

func newActivityLayer(content fyne.CanvasObject, touch func()) *activityLayer {
	l := &activityLayer{content: content, touch: touch}
	l.ExtendBaseWidget(l)
	return l
}

func (l *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.content)
}

func (l *activityLayer) MouseIn(*desktop.MouseEvent)    { l.touch() }
func (l *activityLayer) MouseMoved(*desktop.MouseEvent) { l.touch() }
func (l *activityLayer) MouseOut()                      {}
