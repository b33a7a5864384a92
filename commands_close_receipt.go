package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"offboard/account"
)

// checkReceiptPath refuses, before anything changes, a --receipt that names
// a folder or a file in a folder that is not there: the receipt is written
// only after the purge, when nothing can be undone.
func checkReceiptPath(path string) error {
	if path == "" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%w: --receipt %s is a folder; give the name of a file in it", errUsage, path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%w: --receipt %s: the folder %s does not exist; create it or choose another", errUsage, path, dir)
	}
	return nil
}

// saveReceipt writes r to path, when one was given, through
// Receipt.WriteFile, and says where it went.
func saveReceipt(path string, r *account.Receipt, stdout, stderr io.Writer) int {
	if path == "" {
		return 0
	}
	if err := r.WriteFile(path); err != nil {
		return fail(stderr, fmt.Errorf("the account is closed, but its receipt could not be saved to %s (it is printed above): %w", path, err))
	}
	fmt.Fprintf(stdout, "\nThe receipt was saved to %s.\n", path)
	return 0
}
