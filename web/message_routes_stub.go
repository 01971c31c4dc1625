package web

func (a *App) messageRoutes() []Route { return nil }
