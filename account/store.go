package account

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"offboard/account/durable"
	"offboard/account/vault"
)

// ErrAlreadyOpen means another Offboard process holds the data folder.
var ErrAlreadyOpen = errors.New("this data folder is already open in another Offboard window or command; close that one and try again")

// ErrNoAccount means no account on this machine has the given email.
var ErrNoAccount = errors.New("no account with this email; check the address or create an account")

// ErrCorruptFile means an account file could not be read as one.
var ErrCorruptFile = errors.New("the account file is damaged or is not an Offboard account file; restore it from a backup")

const (
	accountsDir   = "accounts"
	accountExt    = ".db"
	purgingExt    = ".purging"
	lockName      = "offboard.lock"
	fileFormat    = 2 // 2: the key slot carries the security generation
	lockWait      = time.Second
	idBytes       = 16
	maxAccountIDs = 10000 // a data folder with more files than this is not ours
)

// Options tune a store. The zero value is what the app uses; tests lower the
// costs so that they run quickly.
type Options struct {
	KDF        vault.Params     // Argon2id for the key slot; zero means vault.DefaultParams
	LookupKDF  vault.Params     // Argon2id for the email lookup hash; zero means lookupParams
	BcryptCost int              // zero means DefaultBcryptCost
	Now        func() time.Time // zero means time.Now
}

// DefaultBcryptCost is the password verifier's cost (2^12 rounds).
const DefaultBcryptCost = 12

// lookupParams are OWASP's minimum for Argon2id: the email hash must be slow
// to guess but is computed once per account file at every sign-in.
var lookupParams = vault.Params{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}

func (o Options) withDefaults() Options {
	if o.KDF == (vault.Params{}) {
		o.KDF = vault.DefaultParams
	}
	if o.LookupKDF == (vault.Params{}) {
		o.LookupKDF = lookupParams
	}
	if o.BcryptCost == 0 {
		o.BcryptCost = DefaultBcryptCost
	}
	if o.BcryptCost < bcrypt.MinCost || o.BcryptCost > bcrypt.MaxCost {
		o.BcryptCost = DefaultBcryptCost
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Store is an open data folder: it holds the folder's lock for as long as it
// is open, so a second process gets ErrAlreadyOpen instead of racing.
type Store struct {
	dir  string
	lock *os.File
	opt  Options

	fs durable.FS // how sign-up and purge reach the disk; tests inject faults

	mu   sync.Mutex
	open map[string]*Account // signed-in accounts, whose files this process holds
}

// Open opens (creating if needed) the data folder dir. It waits about a second
// for another process to let go before giving up with ErrAlreadyOpen. It then
// finishes any purge that a crash interrupted, before anything else can look.
func Open(dir string, opt Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("no data folder given")
	}
	if err := os.MkdirAll(filepath.Join(dir, accountsDir), 0o700); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the data folder's lock: %w", err)
	}
	deadline := time.Now().Add(lockWait)
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock the data folder: %w", err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, ErrAlreadyOpen
		}
		time.Sleep(50 * time.Millisecond)
	}
	s := &Store{dir: dir, lock: f, opt: opt.withDefaults(), fs: durable.OS{}, open: map[string]*Account{}}
	if err := s.finishPurges(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Dir is the data folder.
func (s *Store) Dir() string { return s.dir }

// Close releases the data folder.
func (s *Store) Close() error {
	if s.lock == nil {
		return nil
	}
	err := s.lock.Close() // closing drops the lock
	s.lock = nil
	return err
}

func (s *Store) now() time.Time { return s.opt.Now() }

// bigKDF is the key-derivation memory from which it pays to hand the
// garbage back to the system at once: a forced collection takes
// milliseconds, which a derivation of a few hundred KiB (tests use such
// costs) does not leave worth collecting.
const bigKDF = 8 << 10 // KiB

// freeKDFMemory returns the garbage that Argon2id left to the system, when
// the store's derivations are big enough to matter for the peak memory.
func (s *Store) freeKDFMemory() {
	if max(s.opt.KDF.MemoryKiB, s.opt.LookupKDF.MemoryKiB) >= bigKDF {
		debug.FreeOSMemory()
	}
}

func (s *Store) accountPath(id string) string {
	return filepath.Join(s.dir, accountsDir, id+accountExt)
}

// accountIDs lists the IDs of the account files in the folder.
func (s *Store) accountIDs() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(s.dir, accountsDir))
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	var ids []string
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, accountExt) {
			continue
		}
		id := strings.TrimSuffix(name, accountExt)
		if validID(id) {
			ids = append(ids, id)
		}
		if len(ids) > maxAccountIDs {
			break
		}
	}
	return ids, nil
}

func validID(id string) bool {
	b, err := hex.DecodeString(id)
	return err == nil && len(b) == idBytes
}

func newID() string {
	b := make([]byte, idBytes)
	if _, err := rand.Read(b); err != nil {
		panic("account: the system random source failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// Bucket and key names. They are stored in the clear, so they are generic.
var (
	bHeader   = []byte("h")
	bSecurity = []byte("s")
	bProfile  = []byte("p")
	bChunks   = []byte("c")

	kFormat   = []byte("format")
	kID       = []byte("id")
	kSlot     = []byte("slot")
	kLookup   = []byte("lookup")
	kVerifier = []byte("verifier")
	kThrottle = []byte("throttle")
	// Where Offboard 0.1 kept the two-factor code's throttle; it is in the
	// sealed security record since format 2.
	kCodeThrottle = []byte("throttle-code")
	kRecord       = []byte("v")
)

// emailLookup hashes a normalised email with a per-file salt.
func emailLookup(email string, salt []byte, p vault.Params) []byte {
	return argon2.IDKey([]byte(email), salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

// find returns the ID of the account whose lookup hash matches email.
func (s *Store) find(email string) (string, error) {
	ids, err := s.accountIDs()
	if err != nil {
		return "", err
	}
	var damaged []error
	for _, id := range ids {
		lookup, err := s.lookupOf(id)
		if err != nil {
			damaged = append(damaged, err) // a damaged file must not stop others from signing in
			continue
		}
		if vault.Equal(emailLookup(email, lookup[:16], s.opt.LookupKDF), lookup[16:]) {
			return id, nil
		}
	}
	if len(damaged) > 0 {
		return "", &NoAccountError{Damaged: len(damaged), First: damaged[0]}
	}
	return "", ErrNoAccount
}

// NoAccountError is ErrNoAccount when some account files could not be read:
// the account may be in one of them. First says why the first one was not.
type NoAccountError struct {
	Damaged int
	First   error
}

func (e *NoAccountError) Error() string {
	why := "they are damaged; restore the data folder from a backup if your account was among them"
	if e.First != nil {
		why = e.First.Error()
	}
	if e.Damaged == 1 {
		return "no account with this email could be read, and " + why
	}
	return fmt.Sprintf("no account with this email could be read, and %d account files could not be read; the first: %s", e.Damaged, why)
}

// Is makes errors.Is(err, ErrNoAccount) hold.
func (e *NoAccountError) Is(target error) bool { return target == ErrNoAccount }

// lookupOf reads an account's email lookup hash, through the open handle
// when this process has the account signed in (bbolt locks files per handle).
func (s *Store) lookupOf(id string) ([]byte, error) {
	var lookup []byte
	read := func(tx *bolt.Tx) error {
		h, err := readHeader(tx)
		if err == nil {
			lookup = h.lookup
		}
		return err
	}
	s.mu.Lock()
	a := s.open[id]
	s.mu.Unlock()
	if a != nil {
		return lookup, a.view(read)
	}
	db, err := openDB(s.accountPath(id))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return lookup, view(db, read)
}

func (s *Store) register(a *Account) {
	s.mu.Lock()
	s.open[a.file] = a
	s.mu.Unlock()
}

func (s *Store) unregister(a *Account) {
	s.mu.Lock()
	if s.open[a.file] == a {
		delete(s.open, a.file)
	}
	s.mu.Unlock()
}

// Exists reports whether an account with this email is on the machine.
func (s *Store) Exists(email string) (bool, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return false, err
	}
	_, err = s.find(e)
	if errors.Is(err, ErrNoAccount) {
		return false, nil
	}
	return err == nil, err
}

// SignUp creates an account. The email must not belong to another account
// on this machine; one whose account was purged may sign up again.
func (s *Store) SignUp(email, password, company string) (*Account, error) {
	p, err := s.newProfile(email, password, company)
	if err != nil {
		return nil, err
	}
	e := p.Email
	verifier, err := bcrypt.GenerateFromPassword([]byte(password), s.opt.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("hash the password: %w", err)
	}
	id := newID()
	dataKey := vault.NewDataKey()
	kek, err := vault.NewKEK([]byte(password), s.opt.KDF)
	if err != nil {
		return nil, err
	}
	const firstGen = 1
	slot, err := kek.Wrap(dataKey, []byte(id), firstGen)
	if err != nil {
		kek.Wipe()
		return nil, err
	}
	slotBytes, _ := slot.MarshalBinary()
	salt := make([]byte, 16)
	rand.Read(salt)
	lookup := append(salt, emailLookup(e, salt, s.opt.LookupKDF)...)

	// Build the file under a temporary name so a crash mid-way leaves no
	// half-made account that could shadow the email later.
	path := s.accountPath(id)
	tmp := path + ".new"
	db, err := createDB(tmp)
	if err != nil {
		return nil, err
	}
	a := &Account{store: s, id: id, file: id, path: path, key: dataKey, kek: kek, gen: firstGen}
	if err := a.unlock(dataKey); err != nil {
		kek.Wipe()
		db.Close()
		os.Remove(tmp)
		return nil, err
	}
	a.db = db
	err = update(db, func(tx *bolt.Tx) error {
		return a.writeNewFile(tx, &p, map[string][]byte{
			string(kFormat): {fileFormat}, string(kID): []byte(id), string(kSlot): slotBytes,
			string(kLookup): lookup, string(kVerifier): verifier,
		}, firstGen)
	})
	if err == nil {
		err = db.Close()
	}
	if err != nil {
		db.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("create the account file: %w", diskHint(err))
	}
	if err := durable.Rename(s.fs, tmp, path); err != nil {
		_ = s.fs.Remove(tmp)
		return nil, fmt.Errorf("create the account file: %w", err)
	}
	if a.db, err = openDB(path); err != nil {
		return nil, err
	}
	s.register(a)
	return a, nil
}

// newProfile checks a new account's email, password and company name, and
// that no account on this computer has the email yet.
func (s *Store) newProfile(email, password, company string) (Profile, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return Profile{}, err
	}
	if err := CheckNewPassword(password, e); err != nil {
		return Profile{}, err
	}
	p := Profile{Company: strings.TrimSpace(company), Email: e, Created: s.now().UTC().Truncate(time.Second)}
	if err := p.Validate(); err != nil {
		return Profile{}, err
	}
	if _, err := s.find(e); err == nil {
		return Profile{}, problem(FieldEmail, "an account with this email already exists on this computer; sign in instead", nil)
	} else if !errors.Is(err, ErrNoAccount) {
		return Profile{}, err
	}
	return p, nil
}

// writeNewFile lays out a new account file in tx: the header's values,
// every bucket, the empty security record of generation gen and the
// profile p.
func (a *Account) writeNewFile(tx *bolt.Tx, p *Profile, header map[string][]byte, gen uint64) error {
	h, err := tx.CreateBucket(bHeader)
	if err != nil {
		return err
	}
	for k, v := range header {
		if err := h.Put([]byte(k), v); err != nil {
			return err
		}
	}
	for _, name := range append([][]byte{bSecurity, bProfile, bChunks}, kindBuckets()...) {
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	if err := a.sealSecurity(tx, &security{}, gen); err != nil {
		return err
	}
	return a.putSealed(tx, bProfile, kRecord, p)
}

func kindBuckets() [][]byte {
	out := make([][]byte, len(Kinds))
	for i, k := range Kinds {
		out[i] = []byte(k)
	}
	return out
}

// diskHint adds what to do when the disk is full.
func diskHint(err error) error { return durable.DiskFull(err) }

// AccountCount says how many account files the data folder holds.
func (s *Store) AccountCount() (int, error) {
	ids, err := s.accountIDs()
	return len(ids), err
}
