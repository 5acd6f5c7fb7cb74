package sqlbuild

import "strings"

// pep440Pattern is PEP 440's version syntax (case and surrounding space
// already dropped), its groups: 1 epoch, 2 release, 3 and 4 pre-release
// label and number, 5 an implicit post number ("1.0-1"), 6 and 7 post label
// and number, 8 and 9 dev label and number; the local part is matched but
// not kept. Written without backslashes, which ClickHouse string literals
// would read as escapes.
const pep440Pattern = `^v?(?:([0-9]+)!)?([0-9]+(?:[.][0-9]+)*)` +
	`(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]*))?` +
	`(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]*))?` +
	`(?:[-_.]?(dev)[-_.]?([0-9]*))?` +
	`(?:[+][a-z0-9]+(?:[-_.][a-z0-9]+)*)?$`

// versionKey is SQL for a sort key of the version string expr in PEP 440
// order, as the packaging library compares versions: a tuple of
// (valid, epoch, release without trailing zeros, pre-release, post, dev).
// A version PEP 440 cannot read sorts before every valid one; a
// pre-release before its release, and a dev release before its
// pre-releases; a post release after its release. Local versions
// ("+ubuntu1") compare equal to their public part. alias names the
// groups' array, so that one query holding two keys needs two names.
func versionKey(expr, alias string) string {
	g := func(i string) string { return alias + "[" + i + "]" }
	groups := "extractGroups(trimBoth(lower(" + expr + ")), '" + pep440Pattern + "') AS " + alias
	release := "arrayMap(x -> toUInt64OrZero(x), splitByChar('.', " + g("2") + "))"
	// Trailing zeros do not count: 1.0 == 1.0.0.
	trimmed := "arraySlice(" + release + ", 1, arrayLastIndex(x -> x != 0, " + release + "))"
	hasPre := "(" + g("3") + " != '')"
	hasPost := "(" + g("5") + " != '' OR " + g("6") + " != '')"
	hasDev := "(" + g("8") + " != '')"
	// 0 stands for minus infinity, 4 (pre) and the UInt64 maximum (dev) for
	// plus infinity; pre-release labels rank a < b < rc (c, pre and
	// preview are rc).
	preRank := "multiIf(" + g("3") + " IN ('a', 'alpha'), 1, " + g("3") + " IN ('b', 'beta'), 2, 3)"
	pre := "multiIf(NOT " + hasPre + " AND NOT " + hasPost + " AND " + hasDev + ", (0, 0), NOT " + hasPre +
		", (4, 0), (" + preRank + ", toUInt64OrZero(" + g("4") + ")))"
	post := "if(" + hasPost + ", toUInt64OrZero(if(" + g("5") + " != '', " + g("5") + ", " + g("7") + ")) + 1, 0)"
	dev := "if(" + hasDev + ", toUInt64OrZero(" + g("9") + "), 18446744073709551615)"
	parts := []string{"length(" + groups + ") > 0", "toUInt64OrZero(" + g("1") + ")", trimmed, pre, post, dev}
	return "(" + strings.Join(parts, ", ") + ")"
}
