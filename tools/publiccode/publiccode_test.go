package publiccode

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// file is the subset of publiccode.yml (standard version 0.4) that the
// Developers Italia catalogue requires, plus what this project promises.
type file struct {
	PubliccodeYmlVersion string   `yaml:"publiccodeYmlVersion"`
	Name                 string   `yaml:"name"`
	URL                  string   `yaml:"url"`
	LandingURL           string   `yaml:"landingURL"`
	SoftwareVersion      string   `yaml:"softwareVersion"`
	ReleaseDate          string   `yaml:"releaseDate"`
	Platforms            []string `yaml:"platforms"`
	Categories           []string `yaml:"categories"`
	DevelopmentStatus    string   `yaml:"developmentStatus"`
	SoftwareType         string   `yaml:"softwareType"`
	Description          map[string]struct {
		LocalisedName    string   `yaml:"localisedName"`
		ShortDescription string   `yaml:"shortDescription"`
		LongDescription  string   `yaml:"longDescription"`
		Features         []string `yaml:"features"`
	} `yaml:"description"`
	Legal struct {
		License string `yaml:"license"`
	} `yaml:"legal"`
	Maintenance struct {
		Type     string `yaml:"type"`
		Contacts []struct {
			Name string `yaml:"name"`
		} `yaml:"contacts"`
	} `yaml:"maintenance"`
	Localisation struct {
		LocalisationReady  *bool    `yaml:"localisationReady"`
		AvailableLanguages []string `yaml:"availableLanguages"`
	} `yaml:"localisation"`
	DependsOn struct {
		Open []struct {
			Name string `yaml:"name"`
		} `yaml:"open"`
	} `yaml:"dependsOn"`
}

func root(t *testing.T) string {
	t.Helper()
	r, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func load(t *testing.T) file {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(t), "publiccode.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("publiccode.yml is not valid YAML: %v", err)
	}
	return f
}

func TestRequiredKeys(t *testing.T) {
	f := load(t)
	check := func(ok bool, format string, args ...any) {
		t.Helper()
		if !ok {
			t.Errorf("publiccode.yml: "+format, args...)
		}
	}
	check(f.PubliccodeYmlVersion == "0.4", "publiccodeYmlVersion is %q, want \"0.4\"", f.PubliccodeYmlVersion)
	check(f.Name != "", "name is missing")
	for k, u := range map[string]string{"url": f.URL, "landingURL": f.LandingURL} {
		check(strings.HasPrefix(u, "https://"), "%s must be an https address, is %q", k, u)
	}
	check(f.SoftwareVersion != "", "softwareVersion is missing")
	_, err := time.Parse("2006-01-02", f.ReleaseDate)
	check(err == nil, "releaseDate must be YYYY-MM-DD, is %q", f.ReleaseDate)
	for _, p := range []string{"windows", "linux"} {
		check(slices.Contains(f.Platforms, p), "platforms lacks %q", p)
	}
	check(len(f.Categories) > 0, "categories is empty")
	for _, c := range f.Categories {
		check(regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(c), "category %q is not a catalogue identifier", c)
	}
	check(slices.Contains([]string{"concept", "development", "beta", "stable", "obsolete"}, f.DevelopmentStatus),
		"developmentStatus %q is not one of the standard's values", f.DevelopmentStatus)
	check(f.SoftwareType == "standalone/desktop", "softwareType is %q, want standalone/desktop", f.SoftwareType)

	for _, lang := range []string{"ita", "eng"} {
		d, ok := f.Description[lang]
		if !ok {
			t.Errorf("publiccode.yml: description.%s is missing", lang)
			continue
		}
		n := utf8.RuneCountInString(strings.TrimSpace(d.ShortDescription))
		check(n > 0 && n <= 150, "description.%s.shortDescription has %d characters (1–150)", lang, n)
		n = utf8.RuneCountInString(strings.TrimSpace(d.LongDescription))
		check(n >= 150 && n <= 10000, "description.%s.longDescription has %d characters (150–10000)", lang, n)
		check(len(d.Features) > 0, "description.%s.features is empty", lang)
	}

	check(f.Legal.License == "EUPL-1.2", "legal.license is %q, want EUPL-1.2", f.Legal.License)
	check(slices.Contains([]string{"internal", "contract", "community", "none"}, f.Maintenance.Type),
		"maintenance.type %q is not one of internal, contract, community, none", f.Maintenance.Type)
	if f.Maintenance.Type == "internal" || f.Maintenance.Type == "community" {
		check(len(f.Maintenance.Contacts) > 0, "maintenance.contacts is required for type %s", f.Maintenance.Type)
		for i, c := range f.Maintenance.Contacts {
			check(c.Name != "", "maintenance.contacts[%d].name is missing", i)
		}
	}
	check(f.Localisation.LocalisationReady != nil, "localisation.localisationReady is missing")
	check(slices.Contains(f.Localisation.AvailableLanguages, "it"), "localisation.availableLanguages lacks \"it\"")
	var deps []string
	for _, d := range f.DependsOn.Open {
		deps = append(deps, d.Name)
	}
	for _, d := range []string{"SQLite", "Fyne"} {
		check(slices.Contains(deps, d), "dependsOn.open lacks %s", d)
	}
}

// The catalogue shows softwareVersion: it must be the version the build
// stamps into the exe (FyneApp.toml).
func TestVersionMatchesFyneApp(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	if v := load(t).SoftwareVersion; v != string(m[1]) {
		t.Errorf("publiccode.yml softwareVersion %q differs from FyneApp.toml Version %q", v, m[1])
	}
}

func TestLicenceIsEUPL12(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, s := range []string{
		"EUROPEAN UNION PUBLIC LICENCE v. 1.2",
		"EUPL © the European Union 2007, 2016",
		"15. Applicable Law",
		"All other changes or additions to this Appendix require the production of a new\nEUPL version.",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("LICENSE lacks %q: not the complete EUPL-1.2 text", s)
		}
	}
}
