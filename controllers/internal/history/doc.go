// Package history keeps the ControllerRevisions of StatefulSets and DaemonSets: immutable
// snapshots of an owner's pod template that tell which pods are up to date and make
// rollbacks possible (../shared/spec/statefulset.md §3, daemonset.md §6). It is Kubernetes'
// pkg/controller/history plus the pieces of the two controllers that hash templates and
// truncate history.
//
// # Basics
//
// A revision records a template as data, the patch
// {"spec":{"template":{"$patch":"replace",...}}} (TemplatePatch; TemplateFromPatch reads it
// back). It is named "<owner>-<hash>" and labelled with its hash:
//
//   - a StatefulSet hashes the data (HashData: FNV-32 of the bytes and the collision count),
//     labels the revision controller.kubernetes.io/hash=<hash>, and labels its pods with the
//     revision's name;
//   - a DaemonSet hashes the template (HashTemplate: FNV-1a of its JSON and the collision
//     count, the Deployment controller's pod-template-hash), labels the revision and its
//     pods controller-revision-hash=<hash>.
//
// New builds a revision; History writes it (Create, with collision handling), reads an
// owner's revisions from the informer cache while adopting orphans and releasing those that
// stopped matching (Claim, through package controllerref), renumbers one on rollback
// (Renumber), and deletes old ones (Truncate).
//
//	revs, err := h.Claim(ctx, set, ref, selector, controllerref.RecheckDeletion(sets, set))
//	data, _ := history.TemplatePatch(&set.Spec.Template)
//	hash := func(cc *int32) string { return history.HashData(data, cc) }
//	rev := history.New(set, ref, apps.ControllerRevisionHashLabel, hash(&cc), set.Spec.Template.Labels, data, history.NextRevision(revs))
//	switch eq := history.FindEqual(revs, rev); {
//	case len(eq) > 0 && history.Equal(eq[len(eq)-1], revs[len(revs)-1]): // unchanged: reuse the newest
//	case len(eq) > 0: // a rollback: make the old revision the newest
//		rev, err = h.Renumber(ctx, eq[len(eq)-1], rev.Revision)
//	default:
//		rev, err = h.Create(ctx, rev, apps.ControllerRevisionHashLabel, &cc, hash)
//	}
//
// Collisions: when Create finds the name taken by a revision with other data, it increments
// the collision count, which changes the hash, and tries again; the owner writes the count
// to status.collisionCount so that later syncs compute the same name.
//
// Truncation: the history of an owner is its revisions minus the live ones (the current and
// update revisions, and any revision a pod still runs). ToTruncate returns the oldest of them
// beyond revisionHistoryLimit; a negative limit keeps everything.
//
// # Differences from Kubernetes, on purpose
//
//   - DaemonSet (and Deployment) hashes are FNV-1a over the template's JSON, not over a
//     spew dump of the Go value, so skiff's hash values differ from Kubernetes' for the
//     same template (they only need to be stable within one store).
//   - Revision equality compares the data bytes only; Kubernetes first compares the hash
//     label when both revisions have a parsable one, which gives the same answer.
//   - Create recomputes the hash label as well as the name after a collision (Kubernetes
//     keeps the first hash in the label).
//   - Revisions are adopted and released by read-modify-write updates (controllerref),
//     not strategic-merge patches.
package history
