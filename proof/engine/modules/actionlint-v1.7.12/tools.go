//go:build tools

// Package tools names the command this module builds, so `go mod tidy` keeps its requirements.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
