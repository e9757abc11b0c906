//go:build tools

// Package tools names the command this module builds, so `go mod tidy` keeps its requirements.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
