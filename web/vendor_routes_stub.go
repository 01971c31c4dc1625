package web

func (a *App) vendorRoutes() []Route { return nil }
