package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"

	"filippo.io/age"
)

// newReader recognises the container, decrypts it if needed with the key
// fileKey gives, and loads the manifest.
func newReader(f *os.File, fileKey func(f io.ReaderAt, size int64) ([]byte, error)) (*Reader, error) {
	size, err := exportSize(f)
	if err != nil {
		return nil, err
	}
	ra, plainSize, encrypted, err := plaintext(f, size, fileKey)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(ra, plainSize)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, zipError(f, size, encrypted, err)
	}
	m, err := readManifest(zr)
	if err != nil {
		return nil, err
	}
	return indexEntries(f, m, zr)
}

// exportSize is the size of the export file, refusing what is no regular
// file or is empty.
func exportSize(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("read the export file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return 0, errorf(ErrNotExport, "it is not a regular file")
	}
	if st.Size() == 0 {
		// The classic result of a crash right after an unsynced rename.
		return 0, errorf(ErrTruncated, "the file is empty; "+adviceRecopy)
	}
	return st.Size(), nil
}

// plaintext is the ZIP archive inside f: f itself, or its decryption when
// it is encrypted (fileKey unwraps the key). A file that is the start of
// either kind was cut short; anything else is no export.
func plaintext(f *os.File, size int64, fileKey func(f io.ReaderAt, size int64) ([]byte, error)) (io.ReaderAt, int64, bool, error) {
	head := make([]byte, min(size, int64(len(ageIntro))))
	if _, err := f.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, 0, false, fmt.Errorf("read the export file: %w", err)
	}
	switch {
	case string(head) == ageIntro:
		key, err := fileKey(f, size)
		if err != nil {
			return nil, 0, true, err
		}
		ra, plainSize, err := decrypt(f, size, key)
		return ra, plainSize, true, err
	case bytes.HasPrefix([]byte(ageIntro), head) || bytes.HasPrefix([]byte(zipLocalHeader), head):
		return nil, 0, false, errorf(ErrTruncated, "only its first %d bytes are there; %s", size, adviceRecopy)
	case !bytes.HasPrefix(head, []byte("PK")):
		return nil, 0, false, errorf(ErrNotExport, adviceNotArchive)
	}
	return f, size, false, nil
}

// zipError says why the archive's table of contents could not be read.
func zipError(f *os.File, size int64, encrypted bool, err error) error {
	switch {
	case encrypted && errors.Is(err, zip.ErrFormat):
		// The plaintext is authenticated, so this is not damage.
		return errorf(ErrNotExport, "it decrypts, but what it holds is not a ZIP archive")
	case encrypted:
		return errorf(ErrDamaged, "part of it no longer decrypts; %s", adviceRecopy)
	case !endsWithDirectory(f, size):
		return errorf(ErrTruncated, adviceCutShort)
	}
	return errorf(ErrDamaged, "its ZIP table of contents cannot be read; %s", adviceRecopy)
}

// indexEntries makes the Reader of an archive whose manifest is m: every
// entry must be a regular file; the first one the manifest does not list,
// or that appears twice, is kept to be reported by Verify.
func indexEntries(f *os.File, m *Manifest, zr *zip.Reader) (*Reader, error) {
	r := &Reader{
		Manifest: *m,
		f:        f,
		files:    make(map[string]*zip.File, len(zr.File)),
		listed:   make(map[string]int, len(m.Entries)),
	}
	for i, e := range m.Entries {
		r.listed[e.Name] = i
	}
	for _, zf := range zr.File {
		// An export holds only regular files: a link or a folder entry
		// would extract to something other than what the manifest lists.
		if m := zf.Mode(); m&fs.ModeSymlink != 0 || !m.IsRegular() {
			return nil, errorf(ErrDamaged, "entry %q is %s, not a file; an Offboard export holds only files", zf.Name, entryKind(m))
		}
		if zf.Name == ManifestName {
			continue
		}
		_, listed := r.listed[zf.Name]
		_, dup := r.files[zf.Name]
		if (dup || !listed) && r.extra == "" {
			r.extra = zf.Name
		}
		if !dup {
			r.files[zf.Name] = zf
		}
	}
	return r, nil
}

// unwrapFileKey opens the age header with the passphrase and returns the
// file key, which decrypt then uses, so that the slow scrypt step runs a
// single time.
func unwrapFileKey(f io.ReaderAt, size int64, passphrase string) ([]byte, error) {
	testHooks.unwraps.Add(1)
	if passphrase == "" {
		return nil, errorf(ErrNeedPassphrase, "enter the passphrase chosen when the export was made")
	}
	hdr, err := age.ExtractHeader(io.NewSectionReader(f, 0, size))
	if err != nil {
		if ageHeaderComplete(f, size) {
			return nil, errorf(ErrDamaged, "its encryption header cannot be read; %s", adviceRecopy)
		}
		return nil, errorf(ErrTruncated, adviceCutShort)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, errorf(ErrNeedPassphrase, "enter the passphrase chosen when the export was made")
	}
	id.SetMaxWorkFactor(maxScryptWorkFactor)
	fileKey, err := age.DecryptHeader(hdr, id)
	// scrypt has just left up to 1 GiB of garbage: give it back now rather
	// than carry it through the whole check.
	debug.FreeOSMemory()
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, errorf(ErrWrongPassphrase, "check it (letter case and spaces count) and try again")
		}
		return nil, errorf(ErrDamaged, "its encryption header cannot be used; %s", adviceRecopy)
	}
	return fileKey, nil
}

// decrypt opens the age layer with the file key. The header authenticated
// with this key, so whatever fails now is the payload: age checks its size
// and its final chunk up front.
func decrypt(f *os.File, size int64, fileKey []byte) (io.ReaderAt, int64, error) {
	ra, plainSize, err := age.DecryptReaderAt(f, size, age.NewInjectedFileKeyIdentity(fileKey))
	if err != nil {
		return nil, 0, errorf(ErrTruncated, adviceCutShort)
	}
	return ra, plainSize, nil
}

// ageHeaderComplete tells a cut-short age header from a damaged one: a
// complete header ends with a "---" line, which a truncated one lacks.
func ageHeaderComplete(f io.ReaderAt, size int64) bool {
	buf := make([]byte, min(size, 1<<20))
	n, _ := f.ReadAt(buf, 0)
	buf = buf[:n]
	i := bytes.Index(buf, []byte("\n---"))
	return i >= 0 && bytes.IndexByte(buf[i+1:], '\n') >= 0
}

// endsWithDirectory reports whether the file ends with a complete ZIP
// end-of-central-directory record. Every ZIP ends with one, so its absence
// means the end of the file is missing rather than damaged.
func endsWithDirectory(f *os.File, size int64) bool {
	const recordLen, maxComment = 22, 65535
	buf := make([]byte, min(size, recordLen+maxComment))
	n, _ := f.ReadAt(buf, size-int64(len(buf)))
	buf = buf[:n]
	for i := len(buf) - recordLen; i >= 0; i-- {
		if string(buf[i:i+4]) == "PK\x05\x06" &&
			i+recordLen+int(binary.LittleEndian.Uint16(buf[i+20:])) == len(buf) {
			return true
		}
	}
	return false
}

// readManifest finds, reads and validates manifest.json.
func readManifest(zr *zip.Reader) (*Manifest, error) {
	var mf *zip.File
	for _, zf := range zr.File {
		if zf.Name != ManifestName {
			continue
		}
		if mf != nil {
			return nil, errorf(ErrNotExport, "it holds more than one %s", ManifestName)
		}
		mf = zf
	}
	if mf == nil {
		return nil, errorf(ErrNotExport, "it has no %s", ManifestName)
	}
	if mf.UncompressedSize64 > maxManifestSize {
		return nil, errorf(ErrNotExport, "its %s is larger than %d MiB", ManifestName, maxManifestSize>>20)
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, errorf(ErrDamaged, "its %s cannot be read; %s", ManifestName, adviceRecopy)
	}
	defer rc.Close()
	// The buffer starts at the size the header claims, up to a few MiB (a
	// manifest of 5,000 entries is under 1 MiB), so that the manifest is
	// read in one allocation rather than a doubling series; it grows with
	// what actually arrives beyond that, and the limit stops a
	// decompression bomb.
	data, err := readAllSized(io.LimitReader(rc, maxManifestSize+1), min(mf.UncompressedSize64, manifestHint))
	if err != nil {
		return nil, errorf(ErrDamaged, "its %s cannot be read; %s", ManifestName, adviceRecopy)
	}
	if len(data) > maxManifestSize {
		return nil, errorf(ErrNotExport, "its %s is larger than %d MiB", ManifestName, maxManifestSize>>20)
	}
	return decodeManifest(data)
}

// manifestHint is the most that is set aside for a manifest before it is
// read: the size its header claims is believed up to this.
const manifestHint = 4 << 20

// readAllSized is io.ReadAll into a buffer that starts with room for hint
// bytes (and one more, to see the end without growing). Not bytes.Buffer:
// the Buffer itself escapes to the heap under the race detector, a second
// allocation for every manifest.
func readAllSized(r io.Reader, hint uint64) ([]byte, error) {
	b := make([]byte, 0, hint+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
