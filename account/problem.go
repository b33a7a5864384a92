package account

import "errors"

// Field names the input a problem is about, so that a form can put the
// message under that input and nowhere else. It is part of the error's type,
// not of its wording: rewording a message never moves it to another field.
type Field string

// The inputs of the forms that create and change an account.
const (
	FieldNone     Field = ""
	FieldEmail    Field = "email"
	FieldPassword Field = "password"
	FieldCode     Field = "code"
	FieldCompany  Field = "company"
	FieldTimeZone Field = "timezone"
	FieldAvatar   Field = "avatar"
)

// Problem is an error a person can put right by changing one input: which
// input (Field), and what to say (Text). Text.Template is the message's
// stable ID: the window looks it up in the translations with Text.Data's
// values, and ui's translation test fails when a template has no
// translation, so a reworded message cannot silently lose its language.
type Problem struct {
	Field Field
	Text  Text
}

func (p *Problem) Error() string { return p.Text.String() }

// problem makes a Problem about field.
func problem(field Field, template string, data map[string]any) *Problem {
	return &Problem{Field: field, Text: Text{Template: template, Data: data}}
}

// FieldOf says which input err is about: the Field of a Problem, or the
// input the core's sign-in errors concern; FieldNone when it is about none
// in particular (a throttle, a damaged file).
func FieldOf(err error) Field {
	var p *Problem
	var te *ThrottledError
	switch {
	case err == nil, errors.As(err, &te):
		return FieldNone
	case errors.As(err, &p):
		return p.Field
	case errors.Is(err, ErrNoAccount):
		return FieldEmail
	case errors.Is(err, ErrWrongPassword):
		return FieldPassword
	case errors.Is(err, ErrWrongCode), errors.Is(err, ErrCodeRequired):
		return FieldCode
	}
	return FieldNone
}
