package account

import "os"

// noFollow is not needed on Windows: os.Lstat tells links apart and creating
// one there needs rights that the data folder's owner does not hand out.
const noFollow = 0

// linkCount is not reported by os.FileInfo on Windows.
func linkCount(os.FileInfo) (n uint64, ok bool) { return 0, false }
