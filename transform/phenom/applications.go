package phenom

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

// outcomes maps hiringStatus to applications.outcome; anything else is PENDING.
var outcomes = transform.NewClosedEnum(map[string][]string{
	"HIRED":    {"hired"},
	"DECLINED": {"rejected", "withdrawn"},
})

const outcomePending = "PENDING"

var (
	appsT       = schemas.MustLookup(tableApplications)
	candidatesT = schemas.MustLookup(tableCandidates)

	aOutcome = appsT.MustCol("outcome")
	aJob     = appsT.MustCol("job_id")
	aCand    = appsT.MustCol("candidate_id")
	aIntegr  = appsT.MustCol("integration_fields")
	aCreated = appsT.MustCol("remote_created_at")
	aUpdated = appsT.MustCol("remote_updated_at")

	cFirst    = candidatesT.MustCol("first_name")
	cLast     = candidatesT.MustCol("last_name")
	cCompany  = candidatesT.MustCol("company")
	cTitle    = candidatesT.MustCol("title")
	cSource   = candidatesT.MustCol("source")
	cPhones   = candidatesT.MustCol("phone_numbers")
	cEmails   = candidatesT.MustCol("email_addresses")
	cLocation = candidatesT.MustCol("location")
	cIntegr   = candidatesT.MustCol("integration_fields")
)

// mapApplication writes the application row of an application document and,
// when this application is the best one so far of its candidate, a candidate row.
func (m *Mapper) mapApplication(ctx context.Context, d extract.Doc, out transform.Emitter, skip transform.Skipper) error {
	fail := func(err error) { skip.Skip(tableApplications, d.Key, phenomx.PathApplications, err) }
	if strings.TrimSpace(d.Key) == "" {
		fail(fmt.Errorf("%w: applicationId", transform.ErrMissingKey))
		return nil
	}
	var ad appDoc
	if err := decodeBody(d, &ad); err != nil {
		fail(err)
		return nil
	}
	a := ad.Item
	if a == nil {
		fail(fmt.Errorf("%w: the body has no %s object", transform.ErrMalformed, phenomx.PathApplications))
		return nil
	}
	a.ApplicationID = text(d.Key)
	cand := a.candidateRemoteID()
	if err := m.writeApplication(ctx, out, a, cand); err != nil {
		return fmt.Errorf("phenom %s: %w", tableApplications, err)
	}
	if cand == "" {
		return nil
	}
	this := bestApp{appID: d.Key}
	this.updated, this.hasUpdated = transform.ParseTimestamp(string(a.UpdatedDate))
	if cur, seen := m.best[cand]; seen && !this.better(cur) {
		return nil
	}
	m.best[cand] = this
	if err := writeCandidate(ctx, out, m.builder(tableCandidates), a, cand); err != nil {
		return fmt.Errorf("phenom %s: %w", tableCandidates, err)
	}
	return nil
}

func (m *Mapper) writeApplication(ctx context.Context, out transform.Emitter, a *appItem, cand string) error {
	b := m.builder(tableApplications)
	b.Begin(string(a.ApplicationID))
	status, _ := transform.JSONStringValue(a.HiringStatus)
	outcome, ok := outcomes.Map(status)
	if !ok {
		outcome = outcomePending
	}
	b.String(aOutcome, outcome)
	if !a.JobID.blank() {
		b.Ref(aJob, tableJobs, string(a.JobID)) // may dangle (JOBID, internal or deleted jobs)
	}
	if cand != "" {
		b.Ref(aCand, tableCandidates, cand)
	}
	b.IntegrationFields(aIntegr, defaultFields(sourceField{fieldHiringStatus, a.HiringStatus}))
	b.TimestampText(aCreated, string(a.AppliedDate))
	b.TimestampText(aUpdated, string(a.UpdatedDate))
	return b.EndTo(ctx, out)
}

func writeCandidate(ctx context.Context, out transform.Emitter, b *transform.TableBuilder, a *appItem, cand string) error {
	b.Begin(cand)
	b.OptString(cSource, a.Source.opt())
	b.IntegrationFields(cIntegr, nil)
	if cd := a.CandidateData; cd != nil {
		b.OptString(cFirst, cd.FirstName.opt())
		b.OptString(cLast, cd.LastName.opt())
		b.OptString(cCompany, cd.CurrentCompany.opt())
		b.OptString(cTitle, cd.CurrentJobTitle.opt())
		if c := cd.ContactData; c != nil {
			if !c.Email.blank() {
				var es []transform.Email
				if e, ok := transform.ValidEmail(string(c.Email)); ok {
					es = append(es, transform.Email{Address: e})
				}
				b.Emails(cEmails, es) // [] when the only address is invalid
			}
			if p := phoneNumber(string(c.CountryPhoneCode), string(c.PhoneNumber)); p != "" {
				b.Phones(cPhones, []transform.Phone{{Number: p, Type: c.DeviceType.opt()}})
			}
			b.Location(cLocation, &transform.Location{
				City:    c.City.opt(),
				State:   c.State.opt(),
				Country: transform.Country("", c.Country.opt()),
				ZipCode: c.ZipCode.opt(),
			})
		}
	}
	return b.EndTo(ctx, out)
}

// phoneNumber joins a country calling code ("+" added when missing) and a
// number, white space removed; "" when the number is blank. A number that
// already starts with "+" is taken as is.
func phoneNumber(code, number string) string {
	number = stripSpace(number)
	if number == "" {
		return ""
	}
	code = stripSpace(code)
	if code == "" || strings.HasPrefix(number, "+") {
		return number
	}
	if !strings.HasPrefix(code, "+") {
		code = "+" + code
	}
	return code + number
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
