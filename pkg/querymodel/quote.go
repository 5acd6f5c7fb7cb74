package querymodel

import "fmt"

// maxQuoted bounds how much of a user's text an error repeats: a query may
// carry megabytes in one field, and an error is read in a panel's corner.
const maxQuoted = 200

// Quote is text from the user as an error shows it: quoted, and cut to
// maxQuoted characters.
func Quote(s string) string {
	r := []rune(s)
	if len(r) > maxQuoted {
		return fmt.Sprintf("%q...", string(r[:maxQuoted]))
	}
	return fmt.Sprintf("%q", s)
}
