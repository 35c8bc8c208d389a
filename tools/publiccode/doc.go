// Package publiccode holds the CI check of the repository's publiccode.yml
// (the Developers Italia metadata for software reusable by public
// administrations) and LICENSE. It has no code of its own: the check is
// publiccode_test.go, which runs with `go test ./...`.
package publiccode
