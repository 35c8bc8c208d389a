package store

// Role is an operator's job in the office; it decides what they may do.
type Role string

const (
	RoleAmministrativo    Role = "amministrativo"
	RoleAssistenteSociale Role = "assistente_sociale"
	RoleResponsabile      Role = "responsabile"
)

// Roles lists the roles in the order the UI offers them.
func Roles() []Role { return []Role{RoleAmministrativo, RoleAssistenteSociale, RoleResponsabile} }

// Label is the Italian name of the role.
func (r Role) Label() string {
	switch r {
	case RoleAmministrativo:
		return "Amministrativo"
	case RoleAssistenteSociale:
		return "Assistente sociale"
	case RoleResponsabile:
		return "Responsabile"
	}
	return string(r)
}

// Valid tells whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAmministrativo, RoleAssistenteSociale, RoleResponsabile:
		return true
	}
	return false
}

// Perm is something a role may be allowed to do.
type Perm int

const (
	PermPersons      Perm = iota // anagrafiche: read and edit persons
	PermOperators                // add, disable, re-enable operators
	PermAudit                    // read the audit log
	PermSettings                 // office-wide settings (idle lock)
	PermPrivateDiary             // private diary entries and court data
)

// Can reports whether the role has a permission (DESIGN.md §3).
func (r Role) Can(p Perm) bool {
	switch r {
	case RoleResponsabile:
		return true
	case RoleAssistenteSociale:
		return p == PermPersons || p == PermPrivateDiary
	case RoleAmministrativo:
		return p == PermPersons
	}
	return false
}
