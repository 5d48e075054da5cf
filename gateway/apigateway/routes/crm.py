"""Customers, vehicles and follow-up calls: the crm service."""
from apigateway.http import api
from contracts import crm as crm_contract


class CrmRoutes:
    @api("POST", "/api/v1/customers", tag="crm", body=crm_contract.NewCustomer, answer=crm_contract.CustomerView, status=201,
         summary="Register a customer")
    def create_customer(self, body):
        return self.crm.create_customer(body)

    @api("GET", "/api/v1/customers/<customer_id>", tag="crm", answer=crm_contract.CustomerView, summary="A customer")
    def get_customer(self, customer_id):
        return self.crm.get_customer(customer_id)

    @api("POST", "/api/v1/vehicles", tag="crm", body=crm_contract.NewVehicle, answer=crm_contract.VehicleView, status=201,
         summary="Register a customer's vehicle")
    def register_vehicle(self, body):
        return self.crm.register_vehicle(body)

    @api("GET", "/api/v1/customers", tag="crm", query=crm_contract.CustomerSearch,
         answer=crm_contract.CustomerWithVehiclesView, many=True,
         summary="Find the customer with this phone number at a site, with their vehicles")
    def find_customers(self, query):
        return self.crm.find_customers(query)

    @api("GET", "/api/v1/vehicles", tag="crm", query=crm_contract.VehicleSearch, answer=crm_contract.VehicleView, many=True,
         summary="Find vehicles by plate or VIN")
    def search_vehicles(self, query):
        return self.crm.search_vehicles(query)

    @api("GET", "/api/v1/vehicles/<vehicle_id>", tag="crm", answer=crm_contract.VehicleView, summary="A vehicle")
    def get_vehicle(self, vehicle_id):
        return self.crm.get_vehicle(vehicle_id)

    @api("GET", "/api/v1/follow-ups", tag="crm", query=crm_contract.FollowUpQuery, answer=crm_contract.FollowUpView, many=True,
         summary="Follow-up calls to make")
    def list_follow_ups(self, query):
        return self.crm.list_follow_ups(query)

    @api("GET", "/api/v1/customer-messages", tag="crm", query=crm_contract.CustomerMessageQuery,
         answer=crm_contract.CustomerMessageView, many=True,
         summary="Messages to customers about their visits (queued for the SMS/WeChat gateway), newest first")
    def list_customer_messages(self, query):
        return self.crm.list_customer_messages(query)

    @api("GET", "/api/v1/recommendations", tag="crm", query=crm_contract.RecommendationQuery,
         answer=crm_contract.RecommendationView, many=True,
         summary="Work a vehicle's customer declined, to offer again (open ones unless asked)")
    def list_recommendations(self, query):
        return self.crm.list_recommendations(query)

    @api("POST", "/api/v1/coupons", tag="crm", body=crm_contract.NewCoupon, answer=crm_contract.CouponView, status=201,
         summary="Issue a coupon (优惠券) to a customer or to any customer of a site")
    def issue_coupon(self, body):
        return self.crm.issue_coupon(body)

    @api("GET", "/api/v1/coupons", tag="crm", query=crm_contract.CouponQuery, answer=crm_contract.CouponView,
         many=True, summary="Coupons: a customer's own and the site's for anyone, newest first")
    def list_coupons(self, query):
        return self.crm.list_coupons(query)

    @api("GET", "/api/v1/recommendation-reminders", tag="crm", query=crm_contract.RecommendationReminderQuery,
         answer=crm_contract.RecommendationReminderView, many=True,
         summary="Reminders of declined work scheduled after a delivery (one per visit)")
    def list_recommendation_reminders(self, query):
        return self.crm.list_recommendation_reminders(query)
