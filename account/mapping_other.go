//go:build !linux

package account

import bolt "go.etcd.io/bbolt"

// dropMapping lets go of the mapped pages of the account file once read,
// on Linux (see mapping_linux.go); elsewhere the system's own paging decides.
func dropMapping(*bolt.Tx) {}
