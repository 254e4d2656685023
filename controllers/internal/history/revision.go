package history

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// maxPrefixLen bounds the owner-name prefix of a revision name, as Kubernetes'
// ControllerRevisionName does, so that "<prefix>-<hash>" stays a valid name.
const maxPrefixLen = 223

// Name returns the name of the revision of an owner named prefix whose hash is hash:
// "<prefix>-<hash>", the prefix cut to 223 characters.
func Name(prefix, hash string) string {
	if len(prefix) > maxPrefixLen {
		prefix = prefix[:maxPrefixLen]
	}
	return prefix + "-" + hash
}

// safeAlphabet is Kubernetes' rand.SafeEncodeString alphabet: no vowels (no words), no 0, 1
// or 3 (no look-alikes).
const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// SafeEncodeString maps every byte of s to a character of the alphabet
// "bcdfghjklmnpqrstvwxz2456789", as Kubernetes' rand.SafeEncodeString does: what makes a
// decimal hash look like "5d4b8c7f9".
func SafeEncodeString(s string) string {
	out := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = safeAlphabet[int(s[i])%len(safeAlphabet)]
	}
	return string(out)
}

// HashData returns the hash a StatefulSet revision is named by: FNV-32 (not FNV-1a) of the
// revision's data followed by the decimal collision count when collisionCount is not nil,
// safe-encoded. It is Kubernetes' history.HashControllerRevision.
func HashData(data []byte, collisionCount *int32) string {
	h := fnv.New32()
	h.Write(data)
	if collisionCount != nil {
		h.Write([]byte(strconv.FormatInt(int64(*collisionCount), 10)))
	}
	return SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// HashTemplate returns the hash a DaemonSet revision and its pods are labelled with, the
// same as a Deployment's pod-template-hash: FNV-1a of the template's JSON followed, when
// collisionCount is not nil, by the count as 8 little-endian bytes (only the low 4 used),
// safe-encoded. It plays the part of Kubernetes' controller.ComputeHash, which hashes a spew
// dump of the template instead of its JSON, so the values differ from Kubernetes' (a hash
// only has to be stable within one store).
func HashTemplate(template *core.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	b, err := json.Marshal(template)
	if err != nil {
		// API types always encode; hash what we have rather than fail.
		b = fmt.Appendf(nil, "%#v", template)
	}
	h.Write(b)
	if collisionCount != nil {
		var buf [8]byte
		binary.LittleEndian.PutUint32(buf[:], uint32(*collisionCount))
		h.Write(buf[:])
	}
	return SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// TemplatePatch returns the data of a revision of template: the patch
// {"spec":{"template":{"$patch":"replace",...}}} that, applied to the owner, puts the
// template back. The encoding is deterministic, so equal templates give equal bytes.
func TemplatePatch(template *core.PodTemplateSpec) ([]byte, error) {
	t, err := json.Marshal(template)
	if err != nil {
		return nil, fmt.Errorf("history: encoding the pod template: %w", err)
	}
	var b bytes.Buffer
	b.Grow(len(t) + 48)
	b.WriteString(`{"spec":{"template":{"$patch":"replace"`)
	if inner := bytes.TrimSpace(t[1 : len(t)-1]); len(inner) > 0 {
		b.WriteByte(',')
		b.Write(inner)
	}
	b.WriteString(`}}}`)
	return b.Bytes(), nil
}

// TemplateFromPatch returns the pod template a revision's data (made by TemplatePatch)
// holds. Data without a template gives an empty template.
func TemplateFromPatch(data []byte) (*core.PodTemplateSpec, error) {
	var p struct {
		Spec struct {
			Template core.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("history: decoding revision data: %w", err)
	}
	return &p.Spec.Template, nil
}

// New returns the ControllerRevision, not yet created, that records data as revision number
// revision of owner: named Name(owner's name, hash), in owner's namespace, labelled with
// templateLabels plus hashLabel=hash, annotated with owner's annotations, controlled through
// ref (see controllerref.NewControllerRef). Nothing is shared with the arguments.
func New(owner meta.Object, ref meta.OwnerReference, hashLabel, hash string, templateLabels map[string]string, data []byte, revision int64) *apps.ControllerRevision {
	m := owner.GetObjectMeta()
	labels := maps.Clone(templateLabels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels[hashLabel] = hash
	return &apps.ControllerRevision{
		ObjectMeta: meta.ObjectMeta{
			Name:            Name(m.Name, hash),
			Namespace:       m.Namespace,
			Labels:          labels,
			Annotations:     maps.Clone(m.Annotations),
			OwnerReferences: []meta.OwnerReference{*ref.DeepCopy()},
		},
		Data:     apps.RawExtension{Raw: slices.Clone(data)},
		Revision: revision,
	}
}

// Equal reports whether two revisions record the same data (both nil counts as equal).
func Equal(a, b *apps.ControllerRevision) bool {
	if a == nil || b == nil {
		return a == b
	}
	return bytes.Equal(a.Data.Raw, b.Data.Raw)
}

// FindEqual returns the revisions of revs whose data equals needle's, in the order of revs.
func FindEqual(revs []*apps.ControllerRevision, needle *apps.ControllerRevision) []*apps.ControllerRevision {
	var out []*apps.ControllerRevision
	for _, r := range revs {
		if Equal(r, needle) {
			out = append(out, r)
		}
	}
	return out
}

// Sort orders revisions oldest first: by revision number, then creation time, then name, as
// Kubernetes' SortControllerRevisions does. It sorts revs in place and stably.
func Sort(revs []*apps.ControllerRevision) {
	slices.SortStableFunc(revs, Compare)
}

// Compare orders two revisions as Sort does.
func Compare(a, b *apps.ControllerRevision) int {
	if a.Revision != b.Revision {
		if a.Revision < b.Revision {
			return -1
		}
		return 1
	}
	if c := a.CreationTimestamp.Time.Compare(b.CreationTimestamp.Time); c != 0 {
		return c
	}
	switch {
	case a.Name < b.Name:
		return -1
	case a.Name > b.Name:
		return 1
	}
	return 0
}

// MaxRevision returns the highest revision number of revs, 0 for none.
func MaxRevision(revs []*apps.ControllerRevision) int64 {
	var n int64
	for _, r := range revs {
		n = max(n, r.Revision)
	}
	return n
}

// NextRevision returns the number the next revision of an owner with revs gets:
// MaxRevision + 1.
func NextRevision(revs []*apps.ControllerRevision) int64 { return MaxRevision(revs) + 1 }

// ToTruncate returns the revisions to delete to keep at most limit of the history: revs
// (oldest first, as Sort leaves them) minus the live ones, oldest first, leaving the newest
// limit. A negative limit keeps everything. live says whether a revision is in use (the
// owner's current or update revision, or one some pod runs); live revisions are never
// returned and do not count toward the limit.
func ToTruncate(revs []*apps.ControllerRevision, live func(*apps.ControllerRevision) bool, limit int) []*apps.ControllerRevision {
	if limit < 0 {
		return nil
	}
	var hist []*apps.ControllerRevision
	for _, r := range revs {
		if !live(r) {
			hist = append(hist, r)
		}
	}
	if len(hist) <= limit {
		return nil
	}
	return hist[:len(hist)-limit]
}
