// Package account is Offboard's core: the client accounts kept on this
// computer and everything that can be done with them, with no toolkit in
// it, so that the window (package ui) and the command line (package main)
// are two faces of the same rules.
//
//   - Store is the data folder: one encrypted bbolt file per account, found
//     by a keyed hash of its email. SignUp, SignIn (then Complete with a
//     two-factor code when it is on) and OpenSample open an Account.
//   - Account holds the profile and the records of every Kind (jobs,
//     contracts, messages, files, invoices, …), each sealed with the data
//     key (package vault); View and Update read and write them in one
//     transaction.
//   - Closure walks an account through its closing in the only order
//     allowed: Implications, Blockers to settle, a verified Backup, the
//     Reason, Confirm, Verify (password, and a code), Purge, and a Receipt.
//   - Export and VerifyExport write and check the export file (package
//     archive); PlanImport brings an export into another account.
//
// Errors a person can put right by changing one input are Problems, which
// name the input (FieldOf) and carry their message as a Text, a template
// with typed values that the window translates and the command line prints
// in English. The file formats, the key hierarchy and the purge are
// described in docs/.
package account
