package pdf

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/signintech/gopdf"
)

// The two TrueType fonts every document embeds (as subsets). Both come
// from Debian packages that `make setup` and .ci/run install.
const (
	// DefaultCJKFont is Droid Sans Fallback (Debian fonts-droid-fallback):
	// one TrueType-outline file with the CJK Unified Ideographs and
	// Extension A, full-width punctuation (：（），。) and kana — but no
	// Latin letters or digits apart from the space.
	DefaultCJKFont = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	// DefaultLatinFont is Liberation Sans (Debian fonts-liberation2), metric
	// compatible with Helvetica/Arial: Latin, digits, ¥, €, — and “”.
	DefaultLatinFont = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"

	// CJKFontEnv and LatinFontEnv name environment variables that override
	// the font paths (read once, at start-up).
	CJKFontEnv   = "PDF_CJK_FONT"
	LatinFontEnv = "PDF_LATIN_FONT"

	cjkPackage   = "fonts-droid-fallback"
	latinPackage = "fonts-liberation2"
)

// CJKFontPath and LatinFontPath are the font files New loads: the defaults
// above unless PDF_CJK_FONT / PDF_LATIN_FONT are set. Tests may change
// them before calling New.
var (
	CJKFontPath   = envOr(CJKFontEnv, DefaultCJKFont)
	LatinFontPath = envOr(LatinFontEnv, DefaultLatinFont)
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// ErrFont is wrapped by every error about a missing or unusable font file.
var ErrFont = errors.New("pdf: font unavailable")

// face is a parsed font file, kept for the life of the process: its bytes
// (embedded, as a subset, by every document) and its character map and
// advance widths (for fallback and measuring).
type face struct {
	path    string
	data    []byte
	metrics *gopdf.SubsetFontObj
}

var (
	facesMu sync.Mutex
	faces   = map[string]*face{}
)

// loadFace reads and parses a TrueType font once per path. A missing file,
// or one that is not a single TrueType-outline font (an OpenType/CFF .otf,
// a .ttc collection), is a clear error naming the Debian package.
func loadFace(path, pkg, env string) (*face, error) {
	facesMu.Lock()
	defer facesMu.Unlock()
	if f, ok := faces[path]; ok {
		return f, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v (install the Debian package %s — `make setup` does — or point %s at a TrueType font)", ErrFont, err, pkg, env)
	}
	m := new(gopdf.SubsetFontObj)
	if err := m.SetTTFData(data); err != nil {
		return nil, fmt.Errorf("%w: %s is not a usable TrueType font (%v); expected the file of Debian package %s, or set %s", ErrFont, path, err, pkg, env)
	}
	f := &face{path: path, data: data, metrics: m}
	faces[path] = f
	return f, nil
}

// has reports whether the font has a glyph for r.
func (f *face) has(r rune) bool {
	g, err := f.metrics.CharCodeToGlyphIndex(r)
	return err == nil && g != 0
}

// advance is r's advance width in 1/1000 em, as the library writes it.
func (f *face) advance(r rune) float64 {
	g, err := f.metrics.CharCodeToGlyphIndex(r)
	if err != nil {
		return 0
	}
	return float64(f.metrics.GlyphIndexToPdfWidth(g))
}

// fontSet is the pair of faces a document draws with. Runes the Latin font
// has are set in it (so digits, Latin letters and ¥ look the same in
// Chinese and English text); the rest in the CJK font; a rune neither has
// becomes '?'.
type fontSet struct {
	latin, cjk *face
}

// Font names in the file. The six-letter tag marks an embedded subset
// (ISO 32000 §9.6.4), so readers never swap in an installed font of the
// same name; it is fixed, which keeps output deterministic.
const (
	latinFamily = "PCLIBS+LiberationSans"
	cjkFamily   = "PCDSFB+DroidSansFallback"
)

func loadFonts() (fontSet, error) {
	cjk, err := loadFace(CJKFontPath, cjkPackage, CJKFontEnv)
	if err != nil {
		return fontSet{}, err
	}
	latin, err := loadFace(LatinFontPath, latinPackage, LatinFontEnv)
	if err != nil {
		return fontSet{}, err
	}
	return fontSet{latin: latin, cjk: cjk}, nil
}

// pick returns the face that draws r and the rune actually drawn.
func (fs fontSet) pick(r rune) (*face, rune) {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return fs.latin, ' ' // control characters: Text draws one line
	case fs.latin.has(r):
		return fs.latin, r
	case fs.cjk.has(r):
		return fs.cjk, r
	}
	return fs.latin, '?'
}

// family is the font name a face is registered under in a document.
func (fs fontSet) family(f *face) string {
	if f == fs.cjk {
		return cjkFamily
	}
	return latinFamily
}
