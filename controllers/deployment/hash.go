package deployment

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"github.com/skiff-dev/skiff/api/core"
)

// safeAlphabet is the alphabet of pod-template-hash values and generated names: no vowels
// (no words) and no 0, 1, 3 (no confusion with o, l, e).
const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// ComputeHash returns the pod-template-hash of a Deployment's pod template: the FNV-1a 32-bit
// hash of the template's JSON form, followed — when collisionCount is set — by the count as 8
// little-endian bytes (only the low 4 filled), its decimal value then mapped onto safeAlphabet
// (SafeEncodeString). It is deterministic: encoding/json writes struct fields in declaration
// order and map keys sorted.
//
// Kubernetes hashes a spew dump of the Go struct (controller.ComputeHash) instead of JSON, so
// the values differ from a real cluster's for the same template; only determinism and the
// collision-count escape matter to the controller.
func ComputeHash(template *core.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	b, err := json.Marshal(template)
	if err != nil {
		panic("deployment: a pod template does not encode: " + err.Error()) // API types always encode
	}
	_, _ = h.Write(b)
	if collisionCount != nil {
		var buf [8]byte
		binary.LittleEndian.PutUint32(buf[:], uint32(*collisionCount))
		_, _ = h.Write(buf[:])
	}
	return SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// SafeEncodeString maps each byte of s onto safeAlphabet (by its value modulo the alphabet's
// length), as Kubernetes' rand.SafeEncodeString does: the digits 0-9 become 4 5 6 7 8 9 b c d f.
func SafeEncodeString(s string) string {
	out := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = safeAlphabet[int(s[i])%len(safeAlphabet)]
	}
	return string(out)
}
