package account

// Reason is what SetReason recorded: the reason, and the owner's own words
// when it is ReasonOther (empty otherwise, or when none were given).
func (c *Closure) Reason() (Reason, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason, c.reasonText
}

// Summary is what Confirm asks the owner to check before the purge: whose
// account, what it holds (all of which is deleted), the copy kept and its
// checksum, and the reason given. The window's Confirm step and the command
// line show the same facts from it.
type Summary struct {
	Email, Company string
	Counts         Counts
	CountsErr      error         // the numbers could not be read; the rest stands
	Backup         *ExportResult // nil: the owner went on without a copy
	BackupSHA256   string        // empty when there is no copy or no checksum
	Reason         Reason
	ReasonText     string
}

// Summary gathers the facts of the Confirm step. It reads the account, so
// the window calls it off the UI goroutine.
func (c *Closure) Summary() *Summary {
	c.mu.Lock()
	s := &Summary{Email: c.profile.Email, Company: c.profile.Company, Backup: c.backup,
		Reason: c.reason, ReasonText: c.reasonText}
	c.mu.Unlock()
	s.Counts, s.CountsErr = c.acct.Counts()
	if s.Backup != nil {
		// Computed as the export finished; ready long before now.
		if sum, err := s.Backup.SHA256(); err == nil {
			s.BackupSHA256 = sum
		}
	}
	return s
}
