"""Points the reference client (aind-data-access-api) at the loopback sample API. Its client
hard-codes https://<host>; only its URL properties change, nothing else of the reference."""

from aind_data_access_api import document_db


def point_client_at(api_base):
    def url(suffix):
        return property(
            lambda self: f"{api_base}/{self.version}/{self.database}/{self.collection}{suffix}"
        )

    document_db.Client._base_url = url("")
    document_db.Client._find_url = url("/find")
    document_db.Client._count_url = url("/count_documents")
    document_db.Client._aggregate_url = url("/aggregate")
