
app_name = "programmes"
urlpatterns = []
