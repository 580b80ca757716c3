module github.com/tinydtls-go/tinydtls

go 1.26.0

require (
	github.com/mattn/go-pointer v0.0.1
	golang.org/x/crypto v0.59.0
)
