package store_test

import "cartella/assets"

// assetsList returns the codes of a default list, for building test data.
func assetsList(name string) ([]string, bool) {
	l, ok := assets.List(name)
	if !ok {
		return nil, false
	}
	var out []string
	for _, c := range l.Active() {
		out = append(out, c.Code)
	}
	return out, true
}
