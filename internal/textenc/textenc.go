// Package textenc reads user files as the YAML parsers Helm and kubectl use
// read them: UTF-16 with a byte order mark is text, NUL bytes and invalid
// UTF-8 are not.
package textenc

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// FromUTF16 returns UTF-16 text with a byte order mark as UTF-8 (lines and
// columns then count characters alike), and any other data as it is.
func FromUTF16(data []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return data
	}
	body := data[2:]
	if len(body)%2 != 0 {
		return data // not UTF-16 after all: FirstNonText refuses it
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		units[i] = order.Uint16(body[2*i:])
	}
	return []byte(string(utf16.Decode(units)))
}

// FirstNonText returns the offset of the first NUL byte or invalid UTF-8
// sequence, or -1 for text.
func FirstNonText(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == 0 || r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
