package web

func (a *App) profileRoutes() []Route { return nil }
