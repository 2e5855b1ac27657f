"""The work records of repair work orders in the desk (included from desk/urls.py under the
`desk` namespace): the visit screen, the repair card and inspection forms of the work order
page, the stored signatures and photos, and the inspection queue."""

from django.urls import path

from aftersales.desk import views_work as v

urlpatterns = [
    path("work-orders/<int:work_order_id>/visit/", v.visit_page, name="visit"),
    path("work-orders/<int:work_order_id>/visit/start/", v.visit_start, name="visit_start"),
    path("work-orders/<int:work_order_id>/visit/finish/", v.visit_finish, name="visit_finish"),
    path("work-orders/<int:work_order_id>/visit/photos/", v.visit_photo_add, name="visit_photo_add"),
    path("work-orders/<int:work_order_id>/visit/carry-in/", v.convert_to_carry_in, name="visit_carry_in"),
    path("work-orders/<int:work_order_id>/visits/<int:visit_id>/signature.png", v.visit_signature,
         name="visit_signature"),
    path("work-orders/<int:work_order_id>/photos/<int:photo_id>/", v.visit_photo, name="visit_photo"),
    path("work-orders/<int:work_order_id>/card/open/", v.card_open, name="card_open"),
    path("work-orders/<int:work_order_id>/card/labour/", v.labour_add, name="card_labour"),
    path("work-orders/<int:work_order_id>/card/parts/", v.part_use, name="card_part"),
    path("work-orders/<int:work_order_id>/card/close/", v.card_close, name="card_close"),
    path("work-orders/<int:work_order_id>/card/inspect/", v.inspect, name="card_inspect"),
    path("inspections/", v.inspections, name="inspection_queue"),
]
