package web

func (a *App) onboardingRoutes() []Route { return nil }
