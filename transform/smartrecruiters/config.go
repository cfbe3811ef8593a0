package smartrecruiters

import (
	"context"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

const (
	scopeSystem = "SYSTEM"
	scopeJob    = "JOB"
)

// systemRole maps a U2 item to a SYSTEM role: remote_id SYSTEM:<id>,
// remote_label = name, ADMINISTRATOR -> ADMIN, others NULL.
func (m *Mapper) systemRole(ctx context.Context, d extract.Doc, out transform.Emitter) error {
	var doc systemRoleDoc
	if err := decode(d.Body, &doc, "roles", d.Key, sr.PathSystemRoles); err != nil {
		return err
	}
	r := &doc.Item
	if r.ID == "" {
		return missing("roles", d.Key, sr.PathSystemRoles, "id")
	}
	b := m.b[tRoles]
	b.BeginBytes(m.key(scopeSystem, r.ID))
	b.OptString(rolesRemoteLabel, r.Name)
	b.String(rolesScope, scopeSystem)
	b.OptString(rolesUnifiedType, systemRoleTypes[r.ID])
	return b.EndTo(ctx, out)
}

// user maps a U1 item to users and its user_roles row.
func (m *Mapper) user(ctx context.Context, d extract.Doc, out transform.Emitter) error {
	var doc userDoc
	if err := decode(d.Body, &doc, "users", d.Key, sr.PathUsers); err != nil {
		return err
	}
	u := &doc.Item
	if u.ID == "" {
		return missing("users", d.Key, sr.PathUsers, "id")
	}
	b := m.b[tUsers]
	b.Begin(u.ID)
	b.OptString(usersFirstName, u.FirstName)
	b.OptString(usersLastName, u.LastName)
	if email, ok := transform.ValidEmail(u.Email); ok {
		b.String(usersEmail, email)
	}
	if u.Active != nil {
		if *u.Active {
			b.String(usersStatus, "ACTIVE")
		} else {
			b.String(usersStatus, "INACTIVE")
		}
	}
	b.JSON(usersRemoteData, m.remoteData(bodyPart(d.Body, sr.PathUsers)))
	if err := b.EndTo(ctx, out); err != nil {
		return err
	}
	if u.SystemRole.ID == "" {
		return nil
	}
	ur := m.b[tUserRoles]
	ur.BeginBytes(m.key(u.ID, scopeSystem, u.SystemRole.ID))
	ur.Ref(userRolesUserID, "users", u.ID)
	ur.RefBytes(userRolesRoleID, "roles", m.key(scopeSystem, u.SystemRole.ID))
	return ur.EndTo(ctx, out)
}

// hiringProcess keeps a G1 item for the stage lists.
func (m *Mapper) hiringProcess(d extract.Doc) error {
	var doc hiringProcessDoc
	if err := decode(d.Body, &doc, "application_stages", d.Key, sr.PathHiringProcesses); err != nil {
		return err
	}
	p := &doc.Item
	if p.ID == "" {
		return missing("application_stages", d.Key, sr.PathHiringProcesses, "id")
	}
	m.stages.addProcess(process{id: p.ID, active: p.Active, subs: p.SubStatuses})
	return nil
}

// rejectionReason maps a G2 item.
func (m *Mapper) rejectionReason(ctx context.Context, d extract.Doc, out transform.Emitter) error {
	var doc rejectionReasonDoc
	if err := decode(d.Body, &doc, "rejection_reasons", d.Key, sr.PathRejectionReasons); err != nil {
		return err
	}
	r := &doc.Item
	if r.ID == "" {
		return missing("rejection_reasons", d.Key, sr.PathRejectionReasons, "id")
	}
	b := m.b[tRejectionReasons]
	b.Begin(r.ID)
	b.OptString(reasonsName, r.Label)
	b.JSON(reasonsRemoteData, m.remoteData(bodyPart(d.Body, sr.PathRejectionReasons)))
	return b.EndTo(ctx, out)
}

// emitStages emits the global application_stages list.
func (m *Mapper) emitStages(ctx context.Context, out transform.Emitter) error {
	b := m.b[tApplicationStages]
	for i, k := range m.stages.global() {
		b.BeginBytes(appendStageRemoteID(m.sc.key[:0], k.status, k.label))
		if k.label == "" {
			b.String(stagesName, k.status)
		} else {
			b.String(stagesName, k.label)
		}
		b.Int(stagesGlobalIndex, int64(i))
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// jobRole emits the JOB role of a J3 role the first time it is seen.
func (m *Mapper) jobRole(ctx context.Context, role string, out transform.Emitter) error {
	if _, ok := m.jobRoles[role]; ok {
		return nil
	}
	m.jobRoles[role] = struct{}{}
	b := m.b[tRoles]
	b.BeginBytes(m.key(scopeJob, role))
	b.String(rolesRemoteLabel, role)
	b.String(rolesScope, scopeJob)
	b.OptString(rolesUnifiedType, jobRoleTypes[role])
	return b.EndTo(ctx, out)
}
