package web

func (a *App) auditRoutes() []Route { return nil }
