package store

import "testing"

func TestRolePermissions(t *testing.T) {
	tests := []struct {
		role Role
		perm Perm
		want bool
	}{
		{RoleResponsabile, PermOperators, true},
		{RoleResponsabile, PermAudit, true},
		{RoleResponsabile, PermPrivateDiary, true},
		{RoleAssistenteSociale, PermPrivateDiary, true},
		{RoleAssistenteSociale, PermOperators, false},
		{RoleAssistenteSociale, PermAudit, false},
		{RoleAmministrativo, PermPersons, true},
		{RoleAmministrativo, PermPrivateDiary, false},
		{RoleAmministrativo, PermSettings, false},
		{Role("intruso"), PermPersons, false},
	}
	for _, tt := range tests {
		if got := tt.role.Can(tt.perm); got != tt.want {
			t.Errorf("%s.Can(%d) = %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
}
