package web

func (a *App) orgRoutes() []Route { return nil }
