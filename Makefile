# Developer shortcuts; CI runs .ci/run.
.PHONY: test lint bench ci build

build:
	go build -o portcullis ./cmd/portcullis

test:
	go test ./...

lint:
	test -z "$$(gofmt -l .)"
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	go test -run '^$$' -bench . -benchtime 1x ./...

ci:
	.ci/run
