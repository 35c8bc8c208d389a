package ui

// LoginForScreens logs in and opens a named screen; used by tools/screens
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
		a.shell.Settings.Tabs.SelectIndex(3)
	case "lock":
		a.lockNow()
	}
	return nil
}
