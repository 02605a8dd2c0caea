#!/bin/sh
# Regenerates the committed image fixtures (each a few hundred bytes to a few KB).
# Needs ImageMagick 6 (convert), exiftool and Ghostscript's ICC profiles (libgs-common); Debian 12 names.
# Simple fixtures (single colours, grey, alpha, palette, BMP, GIF, TIFF, PNG) are built in Java at test time;
# these are the ones the JDK and TwelveMonkeys cannot write: WebP, CMYK JPEG, EXIF orientation, 16-bit PNG,
# animated GIF, progressive JPEG and images carrying a non-sRGB ICC profile.
set -eu
cd "$(dirname "$0")"
A98=/usr/share/color/icc/ghostscript/a98.icc

# 64x32 raw, four quadrants: top-left red, top-right lime, bottom-left blue, bottom-right white.
quadrants() {
  convert \( -size 32x16 xc:'#ff0000' -size 32x16 xc:'#00ff00' +append \) \
          \( -size 32x16 xc:'#0000ff' -size 32x16 xc:'#ffffff' +append \) -append "$@"
}

quadrants -quality 95 -sampling-factor 1x1 orient-1.jpg
for o in 2 3 4 5 6 7 8; do
  cp orient-1.jpg "orient-$o.jpg"
  exiftool -q -overwrite_original -n -Orientation="$o" "orient-$o.jpg"
done
exiftool -q -overwrite_original -n -Orientation=1 orient-1.jpg
quadrants -compress none -orient RightTop orient-6.tif

quadrants -quality 95 -sampling-factor 1x1 -interlace Plane progressive.jpg
quadrants -define webp:lossless=true lossless.webp
quadrants -quality 90 lossy.webp
# Adobe APP14 CMYK JPEG; the colour is a plain sRGB orange before conversion.
convert -size 48x32 xc:'rgb(230,120,30)' -colorspace CMYK -quality 95 cmyk.jpg
# 16 bits per sample: 0xffff, 0x0000, 0x8080 (= 128 * 257) and, in a second pixel column, 0x8000.
convert -size 4x4 xc:'#ffff00008080' -size 4x4 xc:'#8000800080ff' +append -depth 16 PNG48:rgb16.png
# Two frames, red then blue: only the first may be used.
convert -delay 10 -size 16x16 xc:'#ff0000' xc:'#0000ff' -loop 0 animated.gif
# Pixel values are tagged as Adobe RGB (1998) without being converted, so a reader that applies the
# profile must produce different sRGB values than one that ignores it.
convert -size 16x16 xc:'rgb(40,180,90)' -quality 100 -sampling-factor 1x1 adobe-rgb.jpg
exiftool -q -overwrite_original "-icc_profile<=$A98" adobe-rgb.jpg
convert -size 16x16 xc:'rgb(40,180,90)' PNG24:adobe-rgb.png
exiftool -q -overwrite_original "-icc_profile<=$A98" adobe-rgb.png
convert -size 16x16 xc:'rgb(40,180,90)' -define webp:lossless=true adobe-rgb.webp
exiftool -q -overwrite_original "-icc_profile<=$A98" adobe-rgb.webp
convert -size 16x16 xc:'rgb(40,180,90)' -compress none adobe-rgb.tif
exiftool -q -overwrite_original "-icc_profile<=$A98" adobe-rgb.tif
# WebP keeps EXIF in a RIFF "EXIF" chunk of the extended (VP8X) layout.
quadrants -define webp:lossless=true orient-6.webp
exiftool -q -overwrite_original -n -Orientation=6 orient-6.webp
