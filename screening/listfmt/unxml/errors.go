package unxml

import "errors"

// ErrFormat is returned, wrapped with the detail, when the input is not a UN
// Security Council consolidated list: not XML, or another root element.
var ErrFormat = errors.New("not a UN consolidated list")
