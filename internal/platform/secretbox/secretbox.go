// Package secretbox seals the few secrets the database keeps that must be
// read back (the authenticator's TOTP seeds) with AES-256-GCM from the
// standard library, under keys from the configuration (SECRET_KEYS).
//
// A sealed value is "v1:<key id>:<base64 of nonce ‖ ciphertext>"; the key
// id names which key opened it, so keys rotate: put the new key first in
// SECRET_KEYS (it seals), keep the old ones after it (they still open),
// and Reseal what the old ones sealed; then drop them. A value without the
// prefix is a secret stored before sealing: Open returns it as is and
// Sealed says it is not, so the same Reseal seals it.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Key is one key of the ring.
type Key struct {
	ID  string
	key []byte
}

// Box seals with its first key and opens with any.
type Box struct{ keys []Key }

var keyID = regexp.MustCompile(`^[a-z0-9]{1,16}$`)

// Parse reads SECRET_KEYS: comma-separated id:base64 pairs of 32-byte keys,
// the sealing key first.
func Parse(spec string) (*Box, error) {
	b := &Box{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, enc, ok := strings.Cut(part, ":")
		if !ok || !keyID.MatchString(id) {
			return nil, fmt.Errorf("a key is id:base64 with an id of lower-case letters and digits")
		}
		k, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("key %s is not 32 bytes in base64", id)
		}
		for _, have := range b.keys {
			if have.ID == id {
				return nil, fmt.Errorf("key %s is given twice", id)
			}
		}
		b.keys = append(b.keys, Key{ID: id, key: k})
	}
	if len(b.keys) == 0 {
		return nil, errors.New("no key")
	}
	return b, nil
}

// DevelopmentKeys is the ring used when SECRET_KEYS is unset outside
// production: a fixed key, known to anyone who reads this file.
var DevelopmentKeys = "dev:" + base64.StdEncoding.EncodeToString(func() []byte { s := sha256.Sum256([]byte("partnercenter development only")); return s[:] }())

var (
	mu      sync.RWMutex
	current = mustParse(DevelopmentKeys)
)

func mustParse(spec string) *Box {
	b, err := Parse(spec)
	if err != nil {
		panic(err)
	}
	return b
}

// Use makes b the process's box (serve sets it from the configuration).
func Use(b *Box) {
	mu.Lock()
	current = b
	mu.Unlock()
}

// Default is the process's box.
func Default() *Box {
	mu.RLock()
	defer mu.RUnlock()
	return current
}

const prefix = "v1:"

func gcm(k []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plain with the sealing key.
func (b *Box) Seal(plain string) (string, error) {
	k := b.keys[0]
	aead, err := gcm(k.key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	// The key id is authenticated data: a value cannot be moved to another key's name.
	out := aead.Seal(nonce, nonce, []byte(plain), []byte(k.ID))
	return prefix + k.ID + ":" + base64.StdEncoding.EncodeToString(out), nil
}

// ErrOpen is a sealed value no key of the ring opens.
var ErrOpen = errors.New("secretbox: cannot open the value (unknown key or tampered)")

// Open decrypts a sealed value; a value without the prefix is returned as
// it is (stored before sealing).
func (b *Box) Open(sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return sealed, nil
	}
	id, enc, ok := strings.Cut(rest, ":")
	if !ok {
		return "", ErrOpen
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", ErrOpen
	}
	for _, k := range b.keys {
		if k.ID != id {
			continue
		}
		aead, err := gcm(k.key)
		if err != nil || len(raw) < aead.NonceSize() {
			return "", ErrOpen
		}
		plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(id))
		if err != nil {
			return "", ErrOpen
		}
		return string(plain), nil
	}
	return "", ErrOpen
}

// Current says a value is sealed with the sealing key (nothing to
// reseal).
func (b *Box) Current(v string) bool { return strings.HasPrefix(v, prefix+b.keys[0].ID+":") }
