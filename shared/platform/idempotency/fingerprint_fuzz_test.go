package idempotency_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// FuzzFingerprint: the fingerprint is a pure function of the request; JSON whitespace and key order never
// change it; canonical JSON is a fixed point; and a different method or path always changes it.
func FuzzFingerprint(f *testing.F) {
	for _, seed := range []string{
		`{"lines":[{"lineId":"L1","quantity":1}],"resolution":"refund"}`, ` { "b" : 1 , "a" : [ 1, 2 ] } `,
		`{"a":1,"a":2}`, `{"n":1.0}`, `{"n":1e2}`, "{\"s\":\"\xff\"}", `{"s":"\u00e9"}`, `not json`, ``, `{} {}`, `[null,true,"x"]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fp := idempotency.Fingerprint("POST", "/orders/TGP-1/returns", body)
		if fp != idempotency.Fingerprint("POST", "/orders/TGP-1/returns", bytes.Clone(body)) {
			t.Fatal("not deterministic")
		}
		if fp == idempotency.Fingerprint("PUT", "/orders/TGP-1/returns", body) || fp == idempotency.Fingerprint("POST", "/orders/TGP-2/returns", body) {
			t.Fatal("method or path does not change the fingerprint")
		}
		canon := idempotency.CanonicalJSON(body)
		if !bytes.Equal(idempotency.CanonicalJSON(canon), canon) {
			t.Fatalf("canonical form of %q is not a fixed point: %q -> %q", body, canon, idempotency.CanonicalJSON(canon))
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if dec.Decode(&v) != nil || dec.More() {
			return
		}
		var indented bytes.Buffer
		if json.Indent(&indented, body, "", "\t") == nil &&
			idempotency.Fingerprint("POST", "/orders/TGP-1/returns", indented.Bytes()) != fp {
			t.Fatalf("whitespace changed the fingerprint of %q", body)
		}
		var shuffled map[string]json.RawMessage
		if json.Unmarshal(body, &shuffled) == nil && len(shuffled) > 1 {
			// encoding/json writes map keys sorted; build the reverse order by hand.
			keys := make([]string, 0, len(shuffled))
			for k := range shuffled {
				keys = append(keys, k)
			}
			var b bytes.Buffer
			b.WriteByte('{')
			for i := len(keys) - 1; i >= 0; i-- {
				k, _ := json.Marshal(keys[i])
				b.Write(k)
				b.WriteByte(':')
				b.Write(shuffled[keys[i]])
				if i > 0 {
					b.WriteByte(',')
				}
			}
			b.WriteByte('}')
			if !bytes.Equal(idempotency.CanonicalJSON(b.Bytes()), idempotency.CanonicalJSON(body)) {
				t.Fatalf("key order changed the canonical form of %q: %q", body, b.Bytes())
			}
		}
	})
}
