package smartrecruiters

import (
	"context"
	"slices"
	"strings"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

// Social media types, in the order the spec lists them.
const (
	socialLinkedIn = "LINKEDIN"
	socialFacebook = "FACEBOOK"
	socialTwitter  = "TWITTER"
	socialWebsite  = "WEBSITE"
	socialSkype    = "SKYPE"
)

// candidate maps one KindCandidate document (C1 item + C2) to candidates, new
// tags and candidate_tags.
func (m *Mapper) candidate(ctx context.Context, d extract.Doc, out transform.Emitter) error {
	var doc candidateDoc
	if err := decode(d.Body, &doc, "candidates", d.Key, sr.PathCandidate); err != nil {
		return err
	}
	c1, c2 := &doc.C1, &doc.C2
	id := transform.FirstNonEmpty(c2.ID, c1.ID)
	if id == "" {
		return missing("candidates", d.Key, sr.PathCandidates, "id")
	}

	b := m.b[tCandidates]
	b.Begin(id)
	b.OptString(candFirstName, transform.FirstNonEmpty(c2.FirstName, c1.FirstName))
	b.OptString(candLastName, transform.FirstNonEmpty(c2.LastName, c1.LastName))
	for _, e := range c2.Experience {
		if e.Current {
			b.OptString(candCompany, e.Company)
			b.OptString(candTitle, e.Title)
			break
		}
	}
	b.OptString(candSource, c2.PrimaryAssignment.Source)
	if phone := strings.TrimSpace(c2.PhoneNumber); phone != "" {
		b.Phones(candPhoneNumbers, []transform.Phone{{Number: phone}})
	} else {
		b.Null(candPhoneNumbers)
	}
	// email_addresses: NULL when the source gives none, [] when it is invalid.
	if raw := strings.TrimSpace(transform.FirstNonEmpty(c2.Email, c1.Email)); raw == "" {
		b.Null(candEmailAddresses)
	} else if email, ok := transform.ValidEmail(raw); ok {
		b.Emails(candEmailAddresses, []transform.Email{{Address: email}})
	} else {
		b.Emails(candEmailAddresses, nil)
	}
	socials := m.sc.socials[:0]
	for _, s := range [...]struct{ typ, v string }{
		{socialLinkedIn, c2.Web.LinkedIn}, {socialFacebook, c2.Web.Facebook},
		{socialTwitter, c2.Web.Twitter}, {socialWebsite, c2.Web.Website},
	} {
		if v := strings.TrimSpace(s.v); v != "" {
			socials = append(socials, transform.Social{Link: v, Type: s.typ})
		}
	}
	if v := strings.TrimSpace(c2.Web.Skype); v != "" {
		socials = append(socials, transform.Social{Username: v, Type: socialSkype})
	}
	m.sc.socials = socials
	if len(socials) == 0 {
		b.Null(candSocialMedia)
	} else {
		b.Socials(candSocialMedia, socials)
	}
	loc := toLocation(&c2.Location)
	b.Location(candLocation, &loc)
	b.Null(candCustomFields)
	b.IntegrationFields(candIntegrationFields, nil)
	b.Bytes(candRemoteURL, m.candidateURL(id))
	b.TimestampText(candRemoteCreatedAt, transform.FirstNonEmpty(c2.CreatedOn, c1.CreatedOn))
	b.TimestampText(candRemoteUpdatedAt, transform.FirstNonEmpty(c2.UpdatedOn, c1.UpdatedOn))
	b.JSON(candRemoteData, m.remoteData(bodyPart(d.Body, sr.PathCandidates), bodyPart(d.Body, sr.PathCandidate)))
	if err := b.EndTo(ctx, out); err != nil {
		return err
	}

	// Tags: C1's (the spec's order), C2's when the C1 item has none.
	tags := c1.Tags
	if tags == nil {
		tags = c2.Tags
	}
	seen := m.sc.strs[:0]
	for _, t := range tags {
		name := strings.TrimSpace(t)
		if name == "" {
			continue
		}
		rid := strings.ToLower(name)
		if slices.Contains(seen, rid) {
			continue
		}
		seen = append(seen, rid)
		if _, ok := m.tags[rid]; !ok {
			m.tags[rid] = struct{}{}
			tb := m.b[tTags]
			tb.Begin(rid)
			tb.String(tagsName, name)
			tb.Null(tagsRemoteData)
			if err := tb.EndTo(ctx, out); err != nil {
				return err
			}
		}
		ct := m.b[tCandidateTags]
		ct.BeginBytes(m.key(id, rid))
		ct.Ref(candTagsCandidateID, "candidates", id)
		ct.Ref(candTagsTagID, "tags", rid)
		if err := ct.EndTo(ctx, out); err != nil {
			return err
		}
	}
	m.sc.strs = seen
	return nil
}

// candidateURL returns <app_url>/app/people/candidates/<id> in scratch space.
func (m *Mapper) candidateURL(id string) []byte {
	m.sc.text = append(append(m.sc.text[:0], m.appURL...), "/app/people/candidates/"...)
	m.sc.text = append(m.sc.text, id...)
	return m.sc.text
}
