package ui

// LoginForScreens logs in and opens a named screen; used by cmd/screens
// to take documentation screenshots of the real window.
func (a *App) LoginForScreens(user, password, screen string) error {
	s, err := a.db.Login(a.ctx, user, password)
	if err != nil {
		return err
	}
	a.loggedIn(s)
	switch screen {
	case "person":
		if p, ok := s.PersonAt(3); ok {
			a.shell.openPerson(p.ID)
		}
	case "search":
		a.shell.Search.SetText("ross")
	case "settings":
		a.shell.showSettings()
	case "audit":
		a.shell.showSettings()
		a.shell.Settings.Tabs.SelectIndex(4)
	case "lock":
		a.lockNow()
	case "intake", "diary", "privacy":
		if p, ok := s.PersonAt(0); ok {
			a.shell.openPerson(p.ID)
			pv := a.shell.Person
			switch screen {
			case "intake":
				pv.Tabs.SelectIndex(1)
				if len(pv.accesses) > 0 {
					if acc, err := s.Access(a.ctx, p.ID, pv.accesses[0].ID); err == nil {
						pv.openAccess(acc)
						pv.Access.Tabs.SelectIndex(2)
					}
				} else {
					pv.openNewAccess()
				}
			case "diary":
				pv.Tabs.SelectIndex(3)
			case "privacy":
				pv.Tabs.SelectIndex(5)
			}
		}
	case "segretariato":
		a.shell.goArea(1)
	}
	return nil
}
