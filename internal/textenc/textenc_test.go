package textenc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromUTF16(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"little endian", []byte{0xFF, 0xFE, 'a', 0, ':', 0, ' ', 0, 0xE9, 0}, "a: é"},
		{"big endian", []byte{0xFE, 0xFF, 0, 'a', 0, ':', 0, ' ', 0, '1'}, "a: 1"},
		{"an odd body is no UTF-16", []byte{0xFF, 0xFE, 'a'}, "\xff\xfea"},
		{"UTF-8 stays", []byte("a: 1\n"), "a: 1\n"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(FromUTF16(tt.in)))
		})
	}
}

func TestFirstNonText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"text", "a: é\n", -1},
		{"empty", "", -1},
		{"a NUL byte", "a: 1\x00", 4},
		{"Latin-1", "a: caf\xe9", 6},
		{"a truncated sequence", "a\xc3", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, FirstNonText([]byte(tt.in)))
		})
	}
}
