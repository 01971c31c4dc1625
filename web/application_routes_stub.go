package web

func (a *App) applicationRoutes() []Route { return nil }
