package account

import (
	"bytes"
	"image"
	_ "image/jpeg" // an avatar may be a JPEG
	_ "image/png"  // or a PNG
)

// MaxAvatarPixels bounds an avatar's width and height: the picture is shown
// at 64 points at most, and a small file could otherwise declare a huge
// image that takes gigabytes to decode.
const MaxAvatarPixels = 4096

// CheckAvatar says whether b may be a profile's picture: at most
// MaxAvatarBytes, and a PNG or JPEG that decodes whole, no more than
// MaxAvatarPixels wide or high. The window and Profile.Validate both ask it,
// so no picture is kept that the avatar could not show.
func CheckAvatar(b []byte) error {
	if len(b) > MaxAvatarBytes {
		return problem(FieldAvatar, "the picture is larger than {{.Limit}}; choose a smaller one", map[string]any{"Limit": Bytes(MaxAvatarBytes)})
	}
	notImage := problem(FieldAvatar, "this file is not a PNG or JPEG image", nil)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		return notImage
	}
	if cfg.Width > MaxAvatarPixels || cfg.Height > MaxAvatarPixels {
		return problem(FieldAvatar, "the picture is {{.Width}} × {{.Height}} pixels; the limit is {{.Limit}} × {{.Limit}}; choose a smaller one", map[string]any{"Width": cfg.Width, "Height": cfg.Height, "Limit": MaxAvatarPixels})
	}
	if _, _, err := image.Decode(bytes.NewReader(b)); err != nil {
		return notImage
	}
	return nil
}
