from core.models import RAG


def site(request):
    """The RAG key printed on every page that shows ratings."""
    return {"RAG_KEY": [(value, label) for value, label in RAG.choices]}
