package ui

import (
	"testing"

	"offboard/account"
)

func TestTheDataFolderMoveIsAnnounced(t *testing.T) {
	h := newHarness(t)
	h.u.showDataDirMove(account.DataDirMove{From: "/home/ann/.config/Offboard", To: "/home/ann/.local/share/Offboard"})
	if h.dialogs() != 0 {
		t.Fatal("a dialog without a move")
	}
	h.u.showDataDirMove(account.DataDirMove{From: "/home/ann/.config/Offboard", To: "/home/ann/.local/share/Offboard", Moved: true})
	h.expectShown("Your data folder moved", "/home/ann/.local/share/Offboard", "moved from /home/ann/.config/Offboard")
	h.u.dismissDialogs()
	h.u.showDataDirMove(account.DataDirMove{From: "/old/Offboard", To: "/new/Offboard", Left: true})
	h.expectShown("An older data folder was left in place", "--data-dir /old/Offboard")
}
