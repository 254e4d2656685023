package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// On-disk layout (see doc.go).
var (
	bucketMeta = []byte("meta") // format and compacted revision
	bucketRevs = []byte("revs") // revision log: 8-byte big-endian revision -> record

	keyFormat    = []byte("format")    // formatVersion as one byte
	keyCompacted = []byte("compacted") // 8-byte big-endian compacted revision
)

// formatVersion is the version of the record format below; Open refuses other versions.
const formatVersion = 1

// Record operations: the first byte of a record.
const (
	opPut    byte = 1 // the object's new state follows the header
	opDelete byte = 2 // a tombstone: the header only
)

// A record is one write:
//
//	op byte | uvarint len, gvk ("group/version/Kind") | uvarint len, namespace | uvarint len, name | JSON
//
// The JSON (puts only) is the object with an empty resourceVersion: an object's
// resourceVersion is the key its record is stored under.
type record struct {
	op        byte
	gvk       string
	namespace string
	name      string
	data      []byte // JSON, puts only; aliases the input of decodeRecord
}

// gvkString renders a GVK as it appears in records.
func gvkString(g scheme.GroupVersionKind) string { return g.Group + "/" + g.Version + "/" + g.Kind }

// parseGVK is the inverse of gvkString.
func parseGVK(s string) (scheme.GroupVersionKind, bool) {
	group, rest, ok1 := strings.Cut(s, "/")
	version, kind, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || version == "" || kind == "" {
		return scheme.GroupVersionKind{}, false
	}
	return scheme.GroupVersionKind{Group: group, Version: version, Kind: kind}, true
}

// appendHeader appends a record header to b.
func appendHeader(b []byte, op byte, gvk, namespace, name string) []byte {
	b = append(b, op)
	for _, s := range [...]string{gvk, namespace, name} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// encodePut returns the record of a put of obj, an object of kind info whose resourceVersion
// must be empty, in a buffer from bufPool: release it with putBuffer once the record is no
// longer needed (after the transaction that stored it). The JSON comes from info.AppendJSON:
// the built-in kinds encode themselves without reflection.
func encodePut(info *scheme.KindInfo, gvk, namespace, name string, obj meta.Object) (*recordBuffer, []byte, error) {
	buf := bufPool.Get().(*recordBuffer)
	b, err := info.AppendJSON(appendHeader(buf.b[:0], opPut, gvk, namespace, name), obj)
	buf.b = b
	if err != nil {
		putBuffer(buf)
		return nil, nil, err
	}
	return buf, b, nil
}

// recordBuffer is a pooled buffer for records.
type recordBuffer struct {
	b []byte
}

var bufPool = sync.Pool{New: func() any { return &recordBuffer{b: make([]byte, 0, 4096)} }}

// putBuffer returns a record buffer to the pool (unless it grew very large).
func putBuffer(b *recordBuffer) {
	if b != nil && cap(b.b) <= 64<<10 {
		bufPool.Put(b)
	}
}

// encodeDelete returns the record of a deletion.
func encodeDelete(gvk, namespace, name string) []byte {
	return appendHeader(make([]byte, 0, 64), opDelete, gvk, namespace, name)
}

var errBadRecord = errors.New("malformed record")

// decodeRecord parses b. The strings are copies; data aliases b.
func decodeRecord(b []byte) (record, error) {
	if len(b) < 1 || (b[0] != opPut && b[0] != opDelete) {
		return record{}, errBadRecord
	}
	r := record{op: b[0]}
	b = b[1:]
	var fields [3]string
	for i := range fields {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return record{}, errBadRecord
		}
		fields[i] = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	r.gvk, r.namespace, r.name = fields[0], fields[1], fields[2]
	if r.op == opPut {
		if len(b) == 0 {
			return record{}, errBadRecord
		}
		r.data = b
	}
	return r, nil
}

// revKey returns the key of revision rev.
func revKey(rev uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), rev)
}

// putRevKey writes the key of rev into b, which has room for 8 bytes.
func putRevKey(b []byte, rev uint64) []byte {
	binary.BigEndian.PutUint64(b[:8], rev)
	return b[:8]
}

// parseRevKey is the inverse of revKey.
func parseRevKey(k []byte) (uint64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("malformed revision key %x", k)
	}
	return binary.BigEndian.Uint64(k), nil
}
