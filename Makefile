# Developer shortcuts; CI runs .ci/run.
.PHONY: test race lint bench ci build

build:
	go build -o portcullis ./cmd/portcullis

test:
	go test ./...

# The race detector over the short tests (about 2 minutes on 2 cores).
race:
	go test -race -short ./...

lint:
	test -z "$$(gofmt -l .)"
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	go test -run '^$$' -bench . -benchtime 1x ./...

ci:
	.ci/run
