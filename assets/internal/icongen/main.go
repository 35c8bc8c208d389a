// Command icongen draws the program's icon: a folder (the "cartella") with
// a person on it, in the blue of the Italian public-administration design
// system (#0066CC) on a white rounded tile. The icon is generated rather
// than drawn by hand so that anyone can reproduce or adjust it:
//
//	go run ./internal/icongen -out icon.png        (from assets/)
//
// Shapes are described by signed distance functions and rendered with 4×4
// supersampling, so edges are anti-aliased without any graphics library.
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 512

var (
	blue     = rgb(0x00, 0x66, 0xCC) // PA primary
	blueDark = rgb(0x00, 0x4D, 0x99) // back of the folder, one shade darker
	white    = rgb(0xFF, 0xFF, 0xFF)
	border   = rgb(0xD9, 0xE6, 0xF2) // faint rim so the tile shows on white
)

type rgba struct{ r, g, b, a float64 }

func rgb(r, g, b uint8) rgba { return rgba{float64(r), float64(g), float64(b), 1} }

// layer is one flat-coloured shape: inside where dist < 0.
type layer struct {
	col  rgba
	dist func(x, y float64) float64
}

func main() {
	out := flag.String("out", "icon.png", "output PNG file")
	flag.Parse()
	img := render(layers())
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func layers() []layer {
	// The white tile with a faint rim: the outer rounded square in the rim
	// colour, the inner one in white.
	tileOuter := func(x, y float64) float64 { return roundRect(x, y, 16, 16, 496, 496, 96) }
	tileInner := func(x, y float64) float64 { return roundRect(x, y, 22, 22, 490, 490, 90) }

	// Folder: a tab and back panel in dark blue, a front panel in blue.
	tab := func(x, y float64) float64 { return roundRect(x, y, 84, 104, 236, 176, 22) }
	back := func(x, y float64) float64 { return roundRect(x, y, 84, 136, 428, 400, 28) }
	front := func(x, y float64) float64 { return roundRect(x, y, 84, 176, 428, 408, 28) }

	// Person on the front panel, in white: a head and rounded shoulders
	// clipped at the bottom so they sit on a line.
	head := func(x, y float64) float64 { return circle(x, y, 256, 246, 44) }
	body := func(x, y float64) float64 {
		shoulders := roundRect(x, y, 178, 306, 334, 420, 70)
		return math.Max(shoulders, y-368) // cut flat at y = 368
	}

	return []layer{
		{border, tileOuter},
		{white, tileInner},
		{blueDark, union(tab, back)},
		{blue, front},
		{white, head},
		{white, body},
	}
}

func render(ls []layer) *image.NRGBA {
	const ss = 4 // samples per axis
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc rgba // premultiplied sum
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					c := rgba{}
					for _, l := range ls {
						if l.dist(x, y) < 0 {
							c = l.col // flat layers: the topmost wins
						}
					}
					acc.r += c.r * c.a
					acc.g += c.g * c.a
					acc.b += c.b * c.a
					acc.a += c.a
				}
			}
			if acc.a == 0 {
				continue
			}
			n := float64(ss * ss)
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(acc.r / acc.a)),
				G: uint8(math.Round(acc.g / acc.a)),
				B: uint8(math.Round(acc.b / acc.a)),
				A: uint8(math.Round(255 * acc.a / n)),
			})
		}
	}
	return img
}

// roundRect is the signed distance to the rectangle (x0,y0)-(x1,y1) with
// corners of radius r.
func roundRect(x, y, x0, y0, x1, y1, r float64) float64 {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hw, hh := (x1-x0)/2-r, (y1-y0)/2-r
	dx := math.Abs(x-cx) - hw
	dy := math.Abs(y-cy) - hh
	out := math.Hypot(math.Max(dx, 0), math.Max(dy, 0))
	in := math.Min(math.Max(dx, dy), 0)
	return out + in - r
}

func circle(x, y, cx, cy, r float64) float64 { return math.Hypot(x-cx, y-cy) - r }

func union(a, b func(x, y float64) float64) func(x, y float64) float64 {
	return func(x, y float64) float64 { return math.Min(a(x, y), b(x, y)) }
}
