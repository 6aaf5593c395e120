package session

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	_ "github.com/milvus-coord/milvus-coord/internal/golden" // every test package accepts -update
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		name string
		want Key
		ok   bool
	}{
		{"rootcoord", Key{Name: "rootcoord", Role: "rootcoord", Active: true}, true},
		{"rootcoord-12", Key{Name: "rootcoord-12", Role: "rootcoord", ServerID: 12}, true},
		{"querynode-7", Key{Name: "querynode-7", Role: "querynode", ServerID: 7}, true},
		{"id", Key{Name: "id"}, false},
		{"version", Key{Name: "version"}, false},
		{"", Key{}, false},
		{"a/b", Key{Name: "a/b"}, false},
		{"rootcoord-x", Key{Name: "rootcoord-x"}, false},
		{"-3", Key{Name: "-3"}, false},
	}
	for _, tt := range tests {
		got, ok := ParseKey(tt.name)
		assert.Equal(t, tt.ok, ok, tt.name)
		if ok {
			assert.Equal(t, tt.want, got, tt.name)
		}
	}
}

// The values as Milvus 2.4 and 2.6 write them (field order and tags of
// SessionRaw), and shapes it never writes.
func TestParse(t *testing.T) {
	v24 := `{"ServerID":12,"ServerName":"rootcoord","Address":"10.0.0.5:53100","Exclusive":true,"TriggerKill":true,"Version":"2.4.15","IndexEngineVersion":{},"LeaseID":7587883541573566209,"HostName":"milvus-rootcoord-0"}`
	v26 := `{"ServerID":3,"ServerName":"mixcoord","Address":"10.0.0.6:22125","Exclusive":true,"TriggerKill":true,"Version":"2.6.9","IndexEngineVersion":{},"ScalarIndexEngineVersion":{},"LeaseID":7587883541573566300,"HostName":"milvus-mixcoord-1"}`
	tests := []struct {
		key, value string
		problem    string // "" when readable
		legacy     bool
	}{
		{"rootcoord", v24, "", false},
		{"rootcoord-12", v24, "", false},
		{"rootcoord-13", v24, "ServerID 12 under key", false},
		{"querycoord", v24, `ServerName "rootcoord" under key "querycoord"`, false},
		{"mixcoord", v26, "", false},
		{"rootcoord", v26, "", true},              // a legacy key of an ACTIVE mixcoord
		{"rootcoord-3", v26, "ServerName", false}, // legacy keys are ACTIVE keys only
		{"rootcoord", "", "empty value", false},
		{"rootcoord", "null", "not a JSON object", false},
		{"rootcoord", `{"ServerID":"x"}`, "not a Milvus session", false},
		{"rootcoord", `{"ServerName":"rootcoord","Address":"a:1"}`, "no ServerID", false},
		{"rootcoord", `{"ServerID":1,"ServerName":"rootcoord"}`, "no Address", false},
		{"rootcoord", `{"ServerID":1}`, "no ServerName", false},
		{"rootcoord", "{" + strings.Repeat(" ", maxValue) + "}", "bytes is not a Milvus session", false},
	}
	for _, tt := range tests {
		k, ok := ParseKey(tt.key)
		assert.True(t, ok)
		s := Parse(k, "by-dev/meta/session/"+tt.key, []byte(tt.value), 1)
		if tt.problem == "" {
			assert.Empty(t, s.Problem, tt.key)
		} else {
			assert.Contains(t, s.Problem, tt.problem, tt.key)
		}
		assert.Equal(t, tt.legacy, s.Legacy, tt.key)
	}
}

// FuzzParse: any key and value, never a panic; a value is readable or has a
// problem, never both; problems are printable one-liners.
func FuzzParse(f *testing.F) {
	f.Add("rootcoord-12", `{"ServerID":12,"ServerName":"rootcoord","Address":"10.0.0.5:53100","Exclusive":true,"TriggerKill":true,"Version":"2.4.15","IndexEngineVersion":{},"LeaseID":1,"HostName":"p"}`)
	f.Add("rootcoord", `{"ServerID":3,"ServerName":"mixcoord","Address":"a:1","Version":"2.6.9"}`)
	f.Add("querycoord", "\xff\xfe")
	f.Add("datacoord-1", `{"ServerID":1e400}`)
	f.Fuzz(func(t *testing.T, key, value string) {
		k, ok := ParseKey(key)
		if !ok {
			return
		}
		s := Parse(k, key, []byte(value), 0)
		if s.Problem == "" {
			if s.Raw.ServerName == "" || s.Raw.ServerID <= 0 || s.Raw.Address == "" {
				t.Fatalf("readable session without name, ID or address: %+v", s.Raw)
			}
			return
		}
		if strings.Contains(s.Problem, "\n") || !utf8.ValidString(s.Problem) {
			t.Fatalf("problem is not a printable line: %q", s.Problem)
		}
	})
}
