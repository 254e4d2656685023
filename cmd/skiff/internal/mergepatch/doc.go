// Package mergepatch computes the JSON merge patch of client-side apply, as kubectl's
// jsonmergepatch.CreateThreeWayJSONMergePatch does for kinds without a strategic merge
// schema.
//
// Given the configuration last applied (original), the configuration being applied now
// (modified) and the object as it is (current), the patch
//
//   - deletes (sets to null) every field the last applied configuration had and the new one
//     does not: fields the user removed from the manifest;
//   - sets every field of the new configuration whose value differs from the object's:
//     additions and changes;
//   - leaves alone every other field of the object: defaults filled in by the server, status,
//     fields other writers own.
//
// Lists are values like any other: a list that differs is replaced whole, as in any JSON merge
// patch (RFC 7386).
package mergepatch
