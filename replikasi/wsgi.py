import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "replikasi.settings")
application = get_wsgi_application()

# What loading the site made (settings, models, URLs, translations) lives as long as the process and
# never changes: kept out of the garbage collector's generations, a full collection stays short
# instead of adding tens of milliseconds to one request in twenty (make bench-dashboards shows it).
gc.freeze()
