package ui

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"offboard/account"
	"offboard/assets"
)

// Every string the window shows goes through Fyne's lang package, with the
// English text as the key (see translations.go). These tests find every key
// in the source — the window's own strings and the sentences, button labels,
// hints and errors the core hands over for display — and check that each
// language file translates every one of them, keeps their template fields,
// and holds nothing else.

// translationLanguages are the files in assets/translations.
var translationLanguages = []string{"en", "de"}

// keyUse is a translation key and how the source uses it.
type keyUse struct {
	fallback string // the English text: the key itself, or lang.X's fallback
	plural   bool   // looked up with lang.N, so it needs "one" and "other"
	where    string // file:line of a use
}

// dynamicKeys are the lang calls whose key is not a literal, and where their
// keys come from. A new lang call with a computed key must be added here
// with its source, or its strings would escape these checks.
var dynamicKeys = map[string]string{
	"t.Template": "displayText: the core's sentences (account.Text)",
	"b.Action":   "the core's blocker buttons (account.Blocker.Action)",
	"msg":        "errText: the core's error messages",
	"hint":       "the core's password hints (account.PasswordStrength)",
	"string(x)":  "displayValue: the core's phrases (account.Phrase: the password hints)",
}

// reservedKeys are the names go-i18n's format keeps for a message's own
// fields (compared without case); a file with one of them as a key is
// misread as a single message.
var reservedKeys = []string{"id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other"}

// langFuncs are the lang functions that look a key up, and whether they
// take a fallback after the key (X) and a count (N).
var langFuncs = map[string]struct{ keyed, plural bool }{
	"L": {}, "Localize": {},
	"X": {keyed: true}, "LocalizeKey": {keyed: true},
	"N": {plural: true}, "LocalizePlural": {plural: true},
	"XN": {keyed: true, plural: true}, "LocalizePluralKey": {keyed: true, plural: true},
}

// parseDir parses the non-test Go files of dir.
func parseDir(t *testing.T, dir string) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// parseFile parses one Go file.
func parseFile(t *testing.T, name string) (*token.FileSet, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	return fset, f
}

// stringLit is the value of a string literal, or of a package-level string
// constant named by an identifier.
func stringLit(e ast.Expr, consts map[string]string) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[x.Name]
		return s, ok
	}
	return "", false
}

// stringConsts are the package-level string constants of files.
func stringConsts(files []*ast.File) map[string]string {
	consts := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := stringLit(vs.Values[i], nil); ok {
							consts[name.Name] = s
						}
					}
				}
			}
		}
	}
	return consts
}

// isCall reports whether call is pkg.name(…).
func isCall(call *ast.CallExpr, pkg string, names ...string) (string, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || id.Name != pkg || !slices.Contains(names, sel.Sel.Name) {
		return "", false
	}
	return sel.Sel.Name, true
}

// windowKeys are the keys of every lang call in the window's code, and the
// messages of the errors it makes itself (errText looks those up too).
// Calls whose key is computed are reported in dynamic by expression.
func windowKeys(t *testing.T) (keys map[string]keyUse, dynamic map[string]string) {
	t.Helper()
	fset, files := parseDir(t, ".")
	consts := stringConsts(files)
	keys, dynamic = map[string]keyUse{}, map[string]string{}
	add := func(key string, u keyUse) {
		if old, ok := keys[key]; ok {
			if old.fallback != u.fallback || old.plural != u.plural {
				t.Errorf("%s: key %q is used differently at %s", u.where, key, old.where)
			}
			return
		}
		keys[key] = u
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			where := fset.Position(call.Pos()).String()
			if _, ok := isCall(call, "errors", "New"); ok {
				if s, ok := stringLit(call.Args[0], consts); ok {
					add(s, keyUse{fallback: s, where: where})
				}
				return true
			}
			name, ok := isCall(call, "lang", slices.Collect(maps.Keys(langFuncs))...)
			if !ok {
				return true
			}
			fn := langFuncs[name]
			key, ok := stringLit(call.Args[0], consts)
			if !ok {
				dynamic[types.ExprString(call.Args[0])] = where
				return true
			}
			u := keyUse{fallback: key, plural: fn.plural, where: where}
			if fn.keyed {
				if len(call.Args) < 2 {
					t.Errorf("%s: lang.%s without a fallback", where, name)
					return true
				}
				fb, ok := stringLit(call.Args[1], consts)
				if !ok {
					t.Errorf("%s: lang.%s with a computed fallback", where, name)
					return true
				}
				u.fallback = fb
			}
			add(key, u)
			return true
		})
	}
	return keys, dynamic
}

// coreKeys are the strings the core returns for the window to show as they
// are: the sentences of the closure (account.Text templates), the blockers'
// button labels, the password hints, and the messages of the core's errors
// that are not built from data: its exported Err… values, and in account
// and account/vault the errors.New made where they are returned. Errors
// formatted with data or wrapped with context cannot be keys; they are
// shown in English.
func coreKeys(t *testing.T) map[string]keyUse {
	t.Helper()
	keys := map[string]keyUse{}
	add := func(s, where string) {
		if _, ok := keys[s]; !ok {
			keys[s] = keyUse{fallback: s, where: where}
		}
	}

	fset, files := parseDir(t, filepath.Join("..", "account"))
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				// Templates: the only literals in the core with fields.
				if s, ok := stringLit(x, nil); ok && strings.Contains(s, "{{") {
					add(s, fset.Position(x.Pos()).String())
				}
			case *ast.CompositeLit:
				// Text{"…", data}, and []Text{{"…", data}, …}.
				var texts []ast.Expr
				if isIdent(x.Type, "Text") {
					texts = append(texts, x)
				} else if arr, ok := x.Type.(*ast.ArrayType); ok && isIdent(arr.Elt, "Text") {
					texts = x.Elts
				}
				for _, e := range texts {
					if s, ok := textTemplate(e); ok {
						add(s, fset.Position(e.Pos()).String())
					}
				}
			case *ast.CallExpr:
				// problem(field, "…", data): a Problem's template.
				if isIdent(x.Fun, "problem") && len(x.Args) >= 2 {
					if s, ok := stringLit(x.Args[1], nil); ok {
						add(s, fset.Position(x.Args[1].Pos()).String())
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Action" {
					if s, ok := stringLit(x.Value, nil); ok {
						add(s, fset.Position(x.Pos()).String())
					}
				}
			case *ast.FuncDecl:
				if x.Name.Name != "PasswordStrength" || x.Recv != nil {
					return true
				}
				ast.Inspect(x.Body, func(n ast.Node) bool {
					if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 2 {
						if s, ok := stringLit(r.Results[1], nil); ok {
							add(s, fset.Position(r.Pos()).String())
						}
					}
					return true
				})
			case *ast.ReturnStmt:
				// An error made where it is returned leaves the core as is.
				for _, r := range x.Results {
					if s, ok := newErrorLit(r); ok {
						add(s, fset.Position(r.Pos()).String())
					}
				}
			}
			return true
		})
		addSentinels(fset, f, add)
	}

	fset, files = parseDir(t, filepath.Join("..", "account", "vault"))
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if r, ok := n.(*ast.ReturnStmt); ok {
				for _, e := range r.Results {
					if s, ok := newErrorLit(e); ok {
						add(s, fset.Position(e.Pos()).String())
					}
				}
			}
			return true
		})
		addSentinels(fset, f, add)
	}

	// The archive's own returned errors are details that the core wraps
	// ("<problem>: <detail>"); only its sentinels reach the window bare.
	fset, files = parseDir(t, filepath.Join("..", "account", "archive"))
	for _, f := range files {
		addSentinels(fset, f, add)
	}

	// main opens the data folder before there is a window; the start
	// screen shows its errors (package-level in main.go) as they are.
	fset, f := parseFile(t, filepath.Join("..", "main.go"))
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, spec := range gd.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					if s, ok := newErrorLit(v); ok {
						add(s, fset.Position(v.Pos()).String())
					}
				}
			}
		}
	}

	// Messages the core builds from its own limits rather than from data:
	// the shortest password's hint and the password checks' refusals.
	_, short := account.PasswordStrength("a", "")
	add(short, "account.PasswordStrength")
	for _, pw := range []string{"a", strings.Repeat("a", account.MaxPasswordBytes+1), "password", "aaaabbbbcccc", "abcdefghij"} {
		var p *account.Problem
		if err := account.CheckNewPassword(pw, "someone@example.com"); errors.As(err, &p) {
			add(p.Text.Template, "account.CheckNewPassword")
		} else if err != nil {
			t.Errorf("CheckNewPassword(%q) = %v: not an account.Problem, so the window cannot route or translate it", pw, err)
		}
	}
	return keys
}

// newErrorLit is the message of errors.New("…").
func newErrorLit(e ast.Expr) (string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", false
	}
	if _, ok := isCall(call, "errors", "New"); !ok {
		return "", false
	}
	return stringLit(call.Args[0], nil)
}

// addSentinels adds the messages of f's exported package-level errors
// (var ErrX = errors.New("…")); unexported ones stay inside the core.
func addSentinels(fset *token.FileSet, f *ast.File, add func(s, where string)) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i >= len(vs.Values) || !name.IsExported() || !strings.HasPrefix(name.Name, "Err") {
					continue
				}
				if s, ok := newErrorLit(vs.Values[i]); ok {
					add(s, fset.Position(vs.Values[i].Pos()).String())
				}
			}
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// textTemplate is the template of an account.Text literal, when it is a
// literal.
func textTemplate(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok || len(lit.Elts) == 0 {
		return "", false
	}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if isIdent(kv.Key, "Template") {
				return stringLit(kv.Value, nil)
			}
			continue
		}
		return stringLit(el, nil) // unkeyed: the template is first
	}
	return "", false
}

// translationFile is a language file: each key's text, or its plural forms.
type translationFile map[string]translationEntry

type translationEntry struct {
	text  string
	forms map[string]string // description, one, other, … for plurals
}

func (e *translationEntry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &e.forms)
}

// texts are the entry's translations, by plural form ("" when not plural).
func (e translationEntry) texts() map[string]string {
	if e.forms == nil {
		return map[string]string{"": e.text}
	}
	out := map[string]string{}
	for k, v := range e.forms {
		if k != "description" {
			out[k] = v
		}
	}
	return out
}

func readTranslations(t *testing.T, language string) translationFile {
	t.Helper()
	b, err := assets.Translations.ReadFile("translations/" + language + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var f translationFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s.json: %v", language, err)
	}
	return f
}

// templateFields are a template's actions ({{.Name}}), sorted and unique.
var fieldRE = regexp.MustCompile(`{{[^}]*}}`)

func templateFields(s string) []string {
	fields := fieldRE.FindAllString(s, -1)
	for i, f := range fields {
		fields[i] = strings.Join(strings.Fields(f), "")
	}
	slices.Sort(fields)
	return slices.Compact(fields)
}

func TestEveryStringIsTranslated(t *testing.T) {
	window, dynamic := windowKeys(t)
	for expr, where := range dynamic {
		if _, ok := dynamicKeys[expr]; !ok {
			t.Errorf("%s: lang call with the computed key %s; look up literals, or add its source to dynamicKeys and its keys to the check", where, expr)
		}
	}
	for expr := range dynamicKeys {
		if _, ok := dynamic[expr]; !ok {
			t.Errorf("dynamicKeys lists %s, which no lang call uses any more", expr)
		}
	}
	all := maps.Clone(window)
	for k, u := range coreKeys(t) {
		if _, ok := all[k]; !ok {
			all[k] = u
		}
	}
	if len(all) < 300 {
		t.Fatalf("only %d keys found; the source scan is broken", len(all))
	}
	for k, u := range all {
		if slices.Contains(reservedKeys, strings.ToLower(k)) {
			t.Errorf("%s: the key %q is a name go-i18n reserves; look it up with lang.X under another key", u.where, k)
		}
	}

	for _, language := range translationLanguages {
		file := readTranslations(t, language)
		var missing, stale []string
		for _, k := range slices.Sorted(maps.Keys(all)) {
			u := all[k]
			e, ok := file[k]
			if !ok {
				missing = append(missing, strconv.Quote(k)+" ("+u.where+")")
				continue
			}
			texts := e.texts()
			if u.plural {
				if texts["one"] == "" || texts["other"] == "" {
					t.Errorf("%s.json: %q is counted (lang.N) and needs \"one\" and \"other\" forms", language, k)
				}
			} else if e.forms != nil {
				t.Errorf("%s.json: %q has plural forms but is not looked up with lang.N", language, k)
			}
			want := templateFields(u.fallback)
			for form, text := range texts {
				got := templateFields(text)
				switch {
				case strings.TrimSpace(text) == "":
					t.Errorf("%s.json: %q%s is empty", language, k, formName(form))
				case form == "one":
					// The singular may say "one" instead of showing the count.
					for _, g := range got {
						if !slices.Contains(want, g) {
							t.Errorf("%s.json: %q%s has the field %s, which the key does not have", language, k, formName(form), g)
						}
					}
				case !slices.Equal(got, want):
					t.Errorf("%s.json: %q%s has the fields %v, want %v", language, k, formName(form), got, want)
				}
			}
			if language == "en" {
				if other := texts["other"]; u.plural && other != u.fallback {
					t.Errorf("en.json: %q's \"other\" is %q; it must be the text of the source", k, other)
				}
				if text := texts[""]; !u.plural && text != u.fallback {
					t.Errorf("en.json: %q is %q; it must be the text of the source, %q", k, text, u.fallback)
				}
			}
		}
		for k := range file {
			if _, ok := all[k]; !ok {
				stale = append(stale, strconv.Quote(k))
			}
		}
		slices.Sort(stale)
		if len(missing) > 0 {
			t.Errorf("%s.json lacks %d translations:\n\t%s", language, len(missing), strings.Join(missing, "\n\t"))
		}
		if len(stale) > 0 {
			t.Errorf("%s.json translates %d keys that nothing uses any more:\n\t%s", language, len(stale), strings.Join(stale, "\n\t"))
		}
	}
}

func formName(form string) string {
	if form == "" {
		return ""
	}
	return " (" + form + ")"
}

// TestTheCoreSentencesOfASampleAreKeys checks the source scan against what
// the core really returns: every consequence, blocker and button of the
// sample account is among the keys found.
func TestTheCoreSentencesOfASampleAreKeys(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	keys := coreKeys(t)
	c, err := h.u.acct.BeginClosure()
	if err != nil {
		t.Fatal(err)
	}
	imp, err := c.Implications()
	if err != nil {
		t.Fatal(err)
	}
	blockers, err := c.Blockers()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range imp.Consequences {
		got = append(got, x.Template)
	}
	kinds := map[account.BlockerKind]bool{}
	for _, b := range blockers {
		got = append(got, b.Text.Template, b.Action)
		kinds[b.Kind] = true
	}
	if len(imp.Consequences) == 0 || len(kinds) < 4 {
		t.Fatalf("the sample has %d consequences and %d kinds of blockers; expected more", len(imp.Consequences), len(kinds))
	}
	for _, s := range got {
		if _, ok := keys[s]; !ok {
			t.Errorf("the core returned %q, which the source scan did not find", s)
		}
	}
}

// TestMain runs the tests in English whatever the machine's locale; the
// tests that want another language say so with useLocale.
func TestMain(m *testing.M) {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		os.Unsetenv(v)
	}
	os.Setenv("LANG", "en_US.UTF-8")
	reloadTranslations()
	os.Exit(m.Run())
}

func TestTranslationFilesLoad(t *testing.T) {
	for _, language := range translationLanguages {
		b, err := assets.Translations.ReadFile("translations/" + language + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := lang.AddTranslationsForLocale(b, fyne.Locale(language)); err != nil {
			t.Errorf("%s.json: %v", language, err)
		}
	}
	reloadTranslations() // the test's language again
}

// useLocale makes lang pick its language as if the system's locale were
// locale, until the test ends. Fyne has no exported way to choose the
// language: it reads the locale from the environment whenever translations
// are added, so the environment is set and the translations added again.
func useLocale(t *testing.T, locale string) {
	t.Helper()
	// Registered before Setenv, so that it runs after the environment is
	// restored and brings back the language of the tests that follow.
	t.Cleanup(reloadTranslations)
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", locale)
	reloadTranslations()
}

func reloadTranslations() {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		panic(err)
	}
}

// TestGermanLocaleShowsGerman runs the window as on a German desktop: the
// sign-in screen, the workspace and the first steps of the closure speak
// German, with German dates and numbers, and the core's sentences and
// words come translated too.
func TestGermanLocaleShowsGerman(t *testing.T) {
	h := newHarnessIn(t, "de_DE.UTF-8")
	h.expectShown("Bei Offboard anmelden", "Anmelden", "Konto anlegen", "Beispielkonto öffnen")
	h.expectNotShown("Sign in", "Create account")

	h.openSample()
	w := h.u.workspace
	var tabs []string
	for _, it := range w.tabs.Items {
		tabs = append(tabs, it.Text)
	}
	if got := strings.Join(tabs, ", "); got != "Ausschreibungen, Verträge, Nachrichten, Dateien, Bewertungen, Abrechnung, Team" {
		t.Errorf("the workspace's tabs are %s", got)
	}
	w.jobs.list.Select(0)
	h.expectShown("Status", "Veröffentlicht", "Beschreibung")
	if got := dateText(time.Date(2025, 6, 11, 12, 0, 0, 0, time.Local)); got != "11.06.2025" {
		t.Errorf("a date reads %q", got)
	}
	if got := countText(1234567); got != "1.234.567" {
		t.Errorf("a count reads %q", got)
	}
	if got := sizeText(1_500_000); got != "1,5 MB" {
		t.Errorf("a size reads %q", got)
	}

	s := h.openSettings("")
	h.tap(s.account.deactivate)
	f := h.u.closure
	if f == nil {
		t.Fatal("Konto deaktivieren did not start the sequence")
	}
	h.expectShown("Bevor Sie gehen", "Schritt 1 von 7", "Konto behalten", "Alle Daten werden gelöscht:", "Es gibt keine Reaktivierung.")
	h.tap(f.next)
	h.expectShown("Zuerst klären", "Vertrag beenden", "Rechnung bezahlen", "Status: Aktiv", "hat noch Zugriff")
	h.expectNotShown("Active", "End contract", "still has access")
	if !regexp.MustCompile(`Rechnung \S+, .+, (fällig am|überfällig seit) \d\d\.\d\d\.\d{4}`).MatchString(h.shown()) {
		t.Errorf("no invoice to settle with a German date; the window shows:\n%s", h.shown())
	}

	// The core's errors come translated, in the window's sentence form.
	if got := errText(account.ErrWrongPassword); got != "Das Passwort stimmt nicht; prüfen Sie es und versuchen Sie es noch einmal." {
		t.Errorf("a wrong password reads %q", got)
	}
}

// The window names each kind of data as the export's README, pages and the
// closure's receipt do: a person who reads "Billing methods" in the window
// finds "Billing methods" in the export, not another word for the same thing.
func TestKindNamesMatchTheExport(t *testing.T) {
	for _, k := range account.Kinds {
		if got, want := kindName(k), account.KindPhrase(k); got != want {
			t.Errorf("%s: the window says %q, the export and the receipt %q", k, got, want)
		}
	}
}
